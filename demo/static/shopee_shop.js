
(async function () {
  const shopid = document.querySelector(".shop-page").dataset.shopid;
  const box = document.getElementById("results");
  try {
    const shop = await api("/shopee/api/v4/shop/get_shop_detail?shopid=" + encodeURIComponent(shopid));
    if (shop.error !== 0 || !shop.data) { done("error", "shop not found"); return; }
    document.querySelector(".shop-name").textContent = shop.data.name;
    document.querySelector(".shop-location").textContent = shop.data.shop_location;
    document.querySelector(".shop-description").textContent = shop.data.description;
    if (shop.data.is_official_shop) document.querySelector(".shop-badge").textContent = "Shopee Mall";
    let offset = 0, count = 0;
    const limit = 30;
    while (true) {
      const data = await api("/shopee/api/v4/shop/search_items?shopid=" + encodeURIComponent(shopid) +
        "&offset=" + offset + "&limit=" + limit + "&filter_sold_out=1&order=desc&sort_by=pop&use_case=1");
      for (const w of (data.items || [])) { box.appendChild(card(w.item_basic)); count++; }
      if (data.nomore || !data.items || data.items.length === 0) break;
      offset += limit;
    }
    done("done", count + " sản phẩm");
  } catch (err) { done("error", String(err)); }
})();
