
(async function () {
  const m = location.pathname.match(/\/shopee\/product\/(\d+)\/(\d+)/);
  if (!m) { done("error", "bad url"); return; }
  try {
    const res = await api("/shopee/api/v4/item/get?itemid=" + m[2] + "&shopid=" + m[1]);
    if (res.error !== 0 || !res.data) { done("error", "item not found"); return; }
    const it = res.data;
    const root = document.getElementById("product");
    root.dataset.itemid = String(it.itemid);
    root.dataset.shopid = String(it.shopid);
    root.querySelector(".product-name").textContent = it.name;
    root.querySelector(".product-price").textContent = vnd(it.price);
    root.querySelector(".product-brand").textContent = "Thương hiệu: " + (it.brand || "No Brand");
    const ul = root.querySelector(".product-attributes");
    for (const a of it.attributes) ul.appendChild(el("li", "attr", a.name + ": " + a.value));
    const shop = root.querySelector(".shop-link");
    shop.href = "/shopee/shop/" + it.shopid;
    shop.textContent = "Xem shop";
    root.querySelector(".product-description").textContent = it.description;
    done("done", "ok");
  } catch (err) { done("error", String(err)); }
})();
