/** The app's one stylesheet, served at /style.css: readable at 360 px, focus always visible, AA contrast. */
export const CSS = `:root{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff}
body{margin:0}
.skip{position:absolute;left:-999rem}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
header{background:#0d3b2e;color:#fff}
header .bar,main,footer{max-width:44rem;margin:0 auto;padding:1rem;box-sizing:border-box}
header .bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem}
header a,header button.link{color:#fff}
.brand{font-weight:700;margin:0}
nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;margin:0;padding:0}
footer{color:#4a4a4a;font-size:.875rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.125rem;margin:1.5rem 0 .5rem}
a{color:#0b4f9c}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input,button{font:inherit;box-sizing:border-box;min-height:2.75rem;border-radius:4px}
input{width:100%;max-width:24rem;padding:.5rem;border:1px solid #595959}
button{padding:.5rem 1rem;border:2px solid #0b4f9c;background:#0b4f9c;color:#fff;cursor:pointer}
button.quiet{background:#fff;color:#0b4f9c}
button.link{background:none;border:0;padding:0;min-height:auto;text-decoration:underline}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
.error{color:#a4161a;font-weight:600}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:600;margin-bottom:.5rem}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid #c4c4c4}
td.number,th.number{text-align:right}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #b3400a;outline-offset:2px}
`;
