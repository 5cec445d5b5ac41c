# heatmap.gp - mean rollout duration over maxSurge x maxUnavailable
# (rollsim plot SWEEP_DIR, when the sweep varies both).
#
# One cell per grid point, coloured by the mean of rollout.duration_s over
# its replications, with the mean and its 95 % half-width printed in it.
# The grid values are categories in the order of sweep.json (0, 1, "25%"
# are labels, not numbers). A point the loader rejected is a hatched cell
# marked "invalid"; a point whose runs never completed is marked so.
#
# Variables (gnuplot -e): data, out, fmt (required); scripts (this
# directory); title (the scenario); group (the variant and other vary
# values these cells share, '' for none); nx, ny and the tic labels xt0.., yt0.. (strings);
# xname, yname (axis labels); reps (replications per point); cbmin,
# cbmax (the colour scale, shared by the heatmaps of one sweep).
# data rows (written by plot.c): ix iy mean ci95 n status, with status
# 1 (has a mean), 0 (invalid point), 2 (valid, no run completed).
if (!exists("scripts")) scripts = 'plots'
if (!exists("width")) width = 1000
if (!exists("height")) height = 760
load scripts.'/common.gp'
if (!exists("title")) title = 'sweep'
if (!exists("group")) group = ''
if (!exists("xname")) xname = 'maxSurge'
if (!exists("yname")) yname = 'maxUnavailable'
if (!exists("reps")) reps = 0
heading = title . ': mean rollout duration ± 95 % CI' . \
	(reps > 0 ? sprintf(' (%d run%s per point)', int(reps), \
	reps == 1 ? '' : 's') : '') . \
	(strlen(group) > 0 ? "\n" . group : '')
if (exists("user_title")) heading = user_title

if (exists("cbmin") && exists("cbmax")) {
	lo = cbmin
	hi = cbmax
} else {
	# Before any range is set: stats honours xrange.
	stats data using ($6 == 1 ? $3 : NaN) nooutput
	lo = STATS_min
	hi = STATS_max
}

set title heading font ',14'
set xlabel xname
set ylabel yname
set xrange [-0.5:nx - 0.5]
set yrange [-0.5:ny - 0.5]
set xtics () scale 0
set ytics () scale 0
do for [i = 0:nx - 1] { set xtics add (pct(value(sprintf('xt%d', i))) i) }
do for [i = 0:ny - 1] { set ytics add (pct(value(sprintf('yt%d', i))) i) }
unset grid
set border 0
set size ratio -1
set cblabel 'mean rollout duration (s)'
set palette defined (0 '#fff5d6', 0.35 '#fdbf6f', 0.7 '#e8590c', 1 '#7a1c03')

if (!(hi > lo)) { lo = lo - 1; hi = hi + 1 }
set cbrange [lo:hi]
frac(v) = (v - lo) / (hi - lo)
ink(v) = frac(v) > 0.55 ? 0xffffff : 0x202020
# One run per point has no half-width (NaN): the mean alone.
cell(s) = s == 1 ? sprintf("%.1f s", $3) . (strcol(4) eq 'NaN' ? '' : \
	sprintf("\n± %.1f", column(4))) . \
	(reps > 0 && $5 < reps ? sprintf("\n(%d of %d runs)", int($5), int(reps)) : '') : \
	(s == 0 ? 'invalid' : 'no run\ncompleted')

plot data using 1:2:($1 - 0.5):($1 + 0.5):($2 - 0.5):($2 + 0.5):\
		($6 == 1 ? $3 : NaN) \
		with boxxyerror fs solid 1 border lc rgb 'white' fc palette, \
	'' using ($6 == 1 ? NaN : $1):2:(0.5):(0.5) \
		with boxxyerror fs pattern 4 border lc rgb 'white' \
		lc rgb '#c8c8c8', \
	'' using 1:2:(cell($6)):($6 == 1 ? ink($3) : 0x606060) \
		with labels tc rgb variable font ',12'
