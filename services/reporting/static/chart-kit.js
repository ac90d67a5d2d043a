/* Thi Đua — what the dashboard's charts share: dates and numbers as Vietnamese officers read
 * them, the page's colours, and the few drawings Chart.js has no option for (phase bands, goal
 * marks, a doughnut's total). An ES module, loaded after the vendored Chart.js (a global).
 */

const style = getComputedStyle(document.documentElement);
export const colour = (name) => style.getPropertyValue(name).trim();
export const family = getComputedStyle(document.body).fontFamily;
export const number = new Intl.NumberFormat(
  document.documentElement.lang === 'en' ? 'en-GB' : 'vi-VN',
  { maximumFractionDigits: 1 },
);

// Dates travel as ISO days; the x axis counts milliseconds (UTC, so no time-zone shift),
// which needs no date adapter; people read them as dd/mm/yyyy.
export const DAY = 24 * 3600 * 1000;
export const day = (iso) => {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
};
const pad = (n) => String(n).padStart(2, '0');
export const shown = (ms) => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
};
export const short = (text, most) =>
  text.length > most ? `${text.slice(0, most - 1).trim()}…` : text;

// The phases as shaded bands, each closed by a dashed line at its review (sơ kết/tổng kết).
export const phaseBands = {
  id: 'phaseBands',
  beforeDatasetsDraw(chart, _args, options) {
    const { ctx, chartArea: area, scales } = chart;
    ctx.save();
    for (const phase of options.phases) {
      const left = Math.max(scales.x.getPixelForValue(day(phase.start)), area.left);
      const right = Math.min(scales.x.getPixelForValue(day(phase.end) + DAY), area.right);
      ctx.fillStyle = phase.current ? 'rgba(11, 83, 148, 0.11)' : 'rgba(91, 102, 117, 0.06)';
      ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
      ctx.strokeStyle = colour('--muted');
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(right, area.top);
      ctx.lineTo(right, area.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.textBaseline = 'top';
      ctx.font = `bold 13px ${family}`;
      ctx.fillStyle = colour('--brand-dark');
      ctx.textAlign = 'left';
      ctx.fillText(phase.name, left + 8, area.top + 8);
      const nameWidth = ctx.measureText(phase.name).width;
      ctx.font = `12px ${family}`;
      ctx.fillStyle = colour('--muted');
      ctx.textAlign = 'right';
      const review = `${phase.review} ${shown(day(phase.end))}`;
      // On a narrow screen the review's label goes below the phase's name, not over it.
      const fits = nameWidth + ctx.measureText(review).width + 24 < right - left;
      ctx.fillText(review, right - 6, area.top + (fits ? 8 : 26));
    }
    ctx.restore();
  },
};

// Each bar's goal as a black mark, and its percent written at the bar's end.
export const targetMarks = {
  id: 'targetMarks',
  afterDatasetsDraw(chart, _args, options) {
    const { ctx, scales } = chart;
    ctx.save();
    chart.getDatasetMeta(0).data.forEach((bar, i) => {
      const x = scales.x.getPixelForValue(options.goals[i]);
      ctx.strokeStyle = colour('--ink');
      ctx.lineWidth = 3;
      ctx.beginPath();
      ctx.moveTo(x, bar.y - bar.height / 2 - 4);
      ctx.lineTo(x, bar.y + bar.height / 2 + 4);
      ctx.stroke();
      ctx.font = `bold 13px ${family}`;
      ctx.fillStyle = colour('--ink');
      ctx.textBaseline = 'middle';
      ctx.textAlign = 'left';
      const label = `${number.format(chart.data.datasets[0].data[i])}%`;
      // At the bar's end, or past the goal's mark when the two would touch.
      const near = bar.x < x && x - bar.x < ctx.measureText(label).width + 16;
      ctx.fillText(label, (near ? Math.max(bar.x, x) : bar.x) + 8, bar.y);
    });
    ctx.restore();
  },
};

// The total in the doughnut's hole, over the word the options give.
export const centreTotal = {
  id: 'centreTotal',
  afterDatasetsDraw(chart, _args, options) {
    const arc = chart.getDatasetMeta(0).data[0];
    if (!arc) return;
    const { ctx } = chart;
    const total = chart.data.datasets[0].data.reduce((a, b) => a + b, 0);
    ctx.save();
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = colour('--ink');
    ctx.font = `bold 22px ${family}`;
    ctx.fillText(number.format(total), arc.x, arc.y - 8);
    ctx.font = `12px ${family}`;
    ctx.fillStyle = colour('--muted');
    ctx.fillText(options.caption, arc.x, arc.y + 14);
    ctx.restore();
  },
};
