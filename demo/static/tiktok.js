
(async function () {
  const app = document.getElementById("app");
  const kind = app.dataset.kind, value = app.dataset.value;
  const box = document.getElementById("results");
  const H = {"x-tt-web": "1"};
  async function api(u) { const r = await fetch(u, {headers: H}); return r.json(); }
  function card(p) {
    const d = document.createElement("div"); d.className = "product-card"; d.dataset.productId = p.product_id;
    const a = document.createElement("a"); a.href = "/tiktok/view/product/" + p.product_id;
    a.textContent = p.title; d.appendChild(a);
    const s = document.createElement("span"); s.className = "price";
    s.textContent = p.product_price_info.sale_price_format; d.appendChild(s);
    return d;
  }
  function done(t) { const s = document.getElementById("status"); s.textContent = t; document.body.dataset.loaded = "done"; }
  try {
    if (kind === "product") {
      const id = location.pathname.split("/").filter(Boolean).pop();
      const r = await api("/tiktok/api/shop/product?product_id=" + encodeURIComponent(id));
      if (r.code === 0) box.appendChild(card(r.data.product));
      done("ok"); return;
    }
    let url;
    if (kind === "shop") {
      const info = await api("/tiktok/api/shop/info?seller_id=" + encodeURIComponent(value));
      if (info.code === 0) {
        document.querySelector(".shop-name").textContent = info.data.shop_info.shop_name;
        document.querySelector(".shop-intro").textContent = info.data.shop_info.description;
      }
      url = "/tiktok/api/shop/products?seller_id=" + encodeURIComponent(value);
    } else {
      const q = new URLSearchParams(location.search).get("q") || "";
      url = "/tiktok/api/shop/search?keyword=" + encodeURIComponent(q);
    }
    let offset = 0, n = 0;
    while (true) {
      const r = await api(url + "&offset=" + offset + "&count=20");
      if (r.code !== 0) break;
      for (const p of r.data.products) { box.appendChild(card(p)); n++; }
      if (!r.data.has_more) break;
      offset = r.data.next_offset;
    }
    done(n + " sản phẩm");
  } catch (err) { done("error " + err); }
})();
