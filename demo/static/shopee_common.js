
const API_HEADERS = {"x-api-source": "pc", "x-shopee-language": "vi", "x-requested-with": "XMLHttpRequest"};
async function api(url) {
  const r = await fetch(url, {headers: API_HEADERS, credentials: "same-origin"});
  if (!r.ok) { throw new Error("HTTP " + r.status); }
  return r.json();
}
function el(tag, cls, text) {
  const n = document.createElement(tag);
  if (cls) n.className = cls;
  if (text !== undefined && text !== null) n.textContent = String(text);
  return n;
}
function vnd(raw) {
  return "₫" + Math.round(raw / 100000).toLocaleString("vi-VN");
}
function card(it) {
  const d = el("div", "shopee-item");
  d.dataset.itemid = String(it.itemid);
  d.dataset.shopid = String(it.shopid);
  const a = el("a", "shopee-item__link");
  a.href = "/shopee/product/" + it.shopid + "/" + it.itemid;
  const img = el("img", "shopee-item__image");
  img.src = "/shopee/file/" + encodeURIComponent(it.image);
  img.alt = it.name;
  a.appendChild(img);
  a.appendChild(el("div", "shopee-item__name", it.name));
  a.appendChild(el("div", "shopee-item__price", vnd(it.price)));
  a.appendChild(el("div", "shopee-item__sold", "Đã bán " + it.historical_sold));
  a.appendChild(el("div", "shopee-item__location", it.shop_location));
  if (it.is_official_shop) a.appendChild(el("span", "shopee-item__mall", "Mall"));
  d.appendChild(a);
  return d;
}
function done(status, text) {
  const s = document.getElementById("status");
  s.className = status;
  s.textContent = text;
  document.body.dataset.loaded = status;
}
