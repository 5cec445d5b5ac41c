# tradeoff.gp - mean rollout duration against mean failed requests, one
# marker per sweep point (rollsim plot SWEEP_DIR).
#
# x: mean of rollout.duration_s, y: mean of requests.failed, each with its
# 95 % confidence half-width (Student's t, from summary.csv) as error bars
# in both directions. Colour and marker tell the variant; the text beside
# a marker gives its vary values (points that land on the same spot get
# their texts stacked; when there are many spots, numbers, explained in a
# table at the right). Down and to the left is better on both counts.
#
# Variables (gnuplot -e): data, labels, out, fmt (required); scripts
# (this directory); title (the scenario); reps; nv and the variant names
# vn0.. (nv = 1 and no vn0: no key); has_traffic; nvalid (points with
# both means: 0 skips the stats, which need data); labelnote (what the point labels
# mean); ntab and tt0.. (more than a few spots: the labels are numbers
# and this table, one line per number, is printed beside the chart).
# data: one block per variant (index v): point dur_mean dur_ci95
# fail_mean fail_ci95 (NaN: missing). labels: x y k "text", where k
# stacks the texts of points on the same spot (0 lowest); nk = max k + 1.
if (!exists("scripts")) scripts = 'plots'
if (!exists("ntab")) ntab = 0
if (!exists("width")) width = ntab > 0 ? 1400 : 1100
if (!exists("height")) height = 750
load scripts.'/common.gp'
if (!exists("title")) title = 'sweep'
if (!exists("reps")) reps = 0
heading = title . ': rollout duration vs failed requests' . "\n" . \
	'mean ± 95 % CI' . \
	(reps > 0 ? sprintf(' over %d runs per point', int(reps)) : '')
if (exists("user_title")) heading = user_title
if (!exists("nv")) nv = 1
if (!exists("labelnote")) labelnote = ''
if (!exists("nk")) nk = 1
if (!exists("has_traffic")) has_traffic = 1
if (!exists("nvalid")) nvalid = 1

# A missing half-width (NaN: one run) draws no bar; the point stays.
ok(c) = strcol(c) eq 'NaN' ? 0 : column(c)
xhi = 1
yhi = 1
if (nvalid > 0) {
	stats data using ($2 + ok(3)) nooutput
	xhi = STATS_max > 0 ? STATS_max * 1.15 : 1
	stats data using ($4 + ok(5)) nooutput
	yhi = STATS_max > 0 ? STATS_max * 1.15 : 1
}
if (nvalid == 0) {
	set label 2 'no rollout completed in any run: no duration to plot' \
		at graph 0.5, graph 0.6 center tc rgb '#606060'
} else {
	if (!(STATS_max > 0)) {
		set label 2 (has_traffic ? 'no request failed in any run' : \
			'no traffic in this scenario') at graph 0.5, \
			graph 0.6 center tc rgb '#606060'
	}
}

set title heading font ',14'
set xlabel 'mean rollout duration (s)'
set ylabel 'mean failed requests per run'
set xrange [0:xhi]
set yrange [0:yhi]
set grid
if (exists("vn0")) {
	set key top right box lc rgb '#c0c0c0' opaque spacing 1.2
} else {
	unset key
}
if (ntab > 0) {
	set rmargin at screen 0.66
	set label 1 'points (' . substr(labelnote, 9, strlen(labelnote)) . ')' \
		at screen 0.68, screen 0.88 left font ',10'
	rows = ntab > 36 ? 35 : ntab
	do for [i = 0:rows - 1] {
		set label (10 + i) value(sprintf('tt%d', i)) \
			at screen 0.68, screen (0.85 - 0.021 * i) left \
			font ',10' tc rgb '#303030'
	}
	if (ntab > rows) {
		set label 9 sprintf('... %d more in %s', ntab - rows, labels) \
			at screen 0.68, screen (0.85 - 0.021 * rows) left \
			font ',9' tc rgb '#303030'
	}
} else {
	if (strlen(labelnote) > 0) {
		set label 1 'point ' . labelnote at screen 0.99, screen 0.02 \
			right tc rgb '#505050' font ',10'
	}
}
vname(v) = exists(sprintf('vn%d', v)) ? value(sprintf('vn%d', v)) : ''

if (nvalid == 0) {
	plot NaN notitle
} else {
	plot for [v = 0:nv - 1] data index v \
			using 2:4:(ok(3)):(ok(5)) with xyerrorbars \
			lt (v + 1) lw 1.5 title vname(v), \
		for [k = 0:nk - 1] labels using 1:($3 == k ? $2 : NaN):4 \
			with labels left offset char 1, char (0.7 + 1.1 * k) \
			font ',10' tc rgb '#303030' notitle
}
