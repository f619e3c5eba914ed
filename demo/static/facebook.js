
(function () {
  const posts = JSON.parse(document.getElementById("feed-data").textContent);
  const feed = document.getElementById("posts");
  for (const p of posts) {
    const art = document.createElement("div");
    art.setAttribute("role", "article"); art.dataset.postId = p.id;
    const h = document.createElement("h3"); const a = document.createElement("a");
    a.className = "post-author"; a.href = p.author.href; a.textContent = p.author.name; h.appendChild(a);
    art.appendChild(h);
    const link = document.createElement("a"); link.className = "post-time"; link.href = p.permalink;
    link.textContent = new Date(p.time * 1000).toISOString().slice(0, 10); art.appendChild(link);
    const msg = document.createElement("div"); msg.dataset.adPreview = "message";
    msg.style.whiteSpace = "pre-line"; msg.textContent = p.text; art.appendChild(msg);
    for (const src of p.images) {
      const img = document.createElement("img"); img.className = "post-image"; img.src = src; art.appendChild(img);
    }
    feed.appendChild(art);
  }
  document.getElementById("status").textContent = posts.length + " bài viết";
  document.body.dataset.loaded = "done";
})();
