
(async function () {
  const kw = new URLSearchParams(location.search).get("keyword") || "";
  document.querySelector(".search-title").textContent = "Kết quả tìm kiếm cho '" + kw + "'";
  const box = document.getElementById("results");
  const limit = 60;
  let newest = 0, count = 0;
  try {
    while (true) {
      const url = "/shopee/api/v4/search/search_items?by=relevancy&keyword=" + encodeURIComponent(kw) +
        "&limit=" + limit + "&newest=" + newest + "&order=desc&page_type=search";
      const data = await api(url);
      for (const w of (data.items || [])) { box.appendChild(card(w.item_basic)); count++; }
      if (data.nomore || !data.items || data.items.length === 0) break;
      newest += limit;
    }
    done("done", count + " sản phẩm");
  } catch (err) { done("error", String(err)); }
})();
