// The report's inline stylesheet: a readable column, tables that scroll inside their wrapper instead of
// overflowing the page, charts that shrink to the column, and print rules (no page break inside a chart or
// table, the folded provenance opened, no navigation).

export const PAGE_STYLE = `*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;margin:0 auto;max-width:1040px;padding:16px 24px}
h1{font-size:22px;margin-bottom:4px}h2{border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:40px}h3{margin-top:28px}h4{margin:18px 0 6px}
.table-wrap{max-width:100%;overflow-x:auto;margin:8px 0 16px}
table{border-collapse:collapse;font-size:12.5px}th,td{border:1px solid #ddd;padding:3px 8px;text-align:right;vertical-align:top}
thead th{background:#f5f5f5;white-space:nowrap}tbody th{text-align:left;background:#fafafa;font-weight:500}
thead th:first-child{text-align:left}table.grid td,table.dates td{white-space:nowrap}table.facts td{text-align:left;overflow-wrap:anywhere}td.nowrap{white-space:nowrap}
td.text,td.path{text-align:left}.path{word-break:break-all}td.text{min-width:8em}
tr.chosen td{background:#fff6d5}tr.differs th{color:#8a4b00}th.lineage{background:#fff6d5}
.muted{color:#777}.note{color:#555;font-size:12.5px}
svg.tsml-chart{max-width:100%;height:auto;display:block;margin:10px 0}
.charts-row{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}.charts-row svg.tsml-chart{flex:0 1 auto;min-width:0}
.grid2{display:flex;flex-wrap:wrap;gap:0 32px;align-items:flex-start}.grid2>div{flex:0 1 auto;min-width:0;max-width:100%}
.scroll-y{max-height:420px;overflow-y:auto}
.summary{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}.summary div{background:#f5f7fa;border:1px solid #e3e7ee;border-radius:4px;padding:6px 10px;min-width:120px}
.summary b{display:block;font-size:17px}.summary span{color:#555;font-size:12px}
code,pre{font-size:11.5px}code{overflow-wrap:anywhere}details{margin:4px 0}summary{cursor:pointer;word-break:break-all}
nav{margin:8px 0}nav a{margin-right:12px}
@media print{body{max-width:none;padding:0;font-size:11px}nav{display:none}h2{break-before:page}h2:first-of-type{break-before:auto}
svg.tsml-chart,table,.summary{break-inside:avoid}.table-wrap,.scroll-y{overflow:visible;max-height:none}
a{color:inherit;text-decoration:none}}`;
