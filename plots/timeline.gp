# timeline.gp - the pod timeline of one run (rollsim plot RUN_DIR).
#
# Top panel, from timeline.csv: the pods of the old and the new revision
# (with timeline_versions, from pods.csv: of each version, that is each
# ReplicaSet, one colour each whatever the newest revision is)
# stacked as bands (Ready, then not Ready), Terminating pods on top, so the
# top of the orange band is every pod that counts against the surge bound
# (replicas + maxSurge) and the top of the grey band is every pod that
# exists; the Available line is compared with the availability bound
# (replicas - maxUnavailable); Pending pods as a dotted line; the rollout's
# trigger and completion as vertical lines. Bottom panel, when traffic.csv
# has rows (one per simulated second): requests/s (left axis) and
# errors/s (right axis), on the same time axis.
#
# Variables (gnuplot -e): timeline, out, fmt (required); scripts (this
# directory); title (scenario and seed); view (which part of the run);
# traffic, has_traffic (1 when traffic.csv has rows); surge_bound,
# avail_bound, t_trigger, t_complete, xmin, xmax (when left out, that
# line or limit is not drawn); strategy (named in the title when there
# are no bounds); ymax_fixed (--ymax: the top of the pod axis);
# user_title (--title: the heading); versions, nver, vl1.. (plot_versions.c's
# table, its number of versions and their names); req_view, err_view (the most
# requests and errors in a second of the window). timeline is plot.c's copy of
# timeline.csv, the last row of each instant only, with the last state
# repeated at the end (a step plot stops at its last row).
# "Old" and "new" are relative to the newest revision at each moment.
if (!exists("scripts")) scripts = 'plots'
if (!exists("has_traffic")) has_traffic = 0
if (!exists("width")) width = 1280
if (!exists("height")) height = has_traffic ? 850 : 650
load scripts.'/common.gp'
if (!exists("title")) title = 'run'
if (!exists("view")) view = 'pods over time'
heading = title . ': ' . view . \
	(exists("strategy") ? ' (' . strategy . ' strategy: no surge bound)' : '')
if (exists("user_title")) heading = user_title

set datafile separator ','
set datafile columnheaders

c(n) = column(n)
errs(x) = c('no_endpoint') + c('refused') + c('overload') + \
	c('timeout') + c('reset')
stats timeline using 'time_s':(column('old_pods') + column('new_pods') + \
	column('terminating')) nooutput
x0 = exists("xmin") ? xmin : 0
x1 = exists("xmax") ? xmax : STATS_max_x
if (x1 <= x0) x1 = x0 + 1
ymax = STATS_max_y
if (exists("surge_bound") && surge_bound > ymax) ymax = surge_bound
ytop = ceil(ymax * 1.12 + 1)
if (exists("ymax_fixed")) ytop = ymax_fixed

# Opaque colours: the bands are drawn tallest first, each from 0.
set style line 1 lc rgb '#2c6db5'                  # old, Ready
set style line 2 lc rgb '#a9c8ea'                  # old, not Ready
set style line 3 lc rgb '#e07b00'                  # new, Ready
set style line 4 lc rgb '#f7c98b'                  # new, not Ready
set style line 5 lc rgb '#c8c8c8'                  # terminating
set style line 6 lc rgb '#108a3a' lw 3             # available
set style line 7 lc rgb '#c2007a' lw 2.5 dt (3,2)  # pending
set style line 8 lc rgb '#c0392b' lw 2 dt (10,4,2,4)   # surge bound
set style line 9 lc rgb '#108a3a' lw 2 dt (10,4,2,4)   # availability bound
set style line 10 lc rgb '#2c6db5' lw 1.5          # requests/s
set style line 11 lc rgb '#d7191c' lw 1.5          # errors/s
# Versions (with pods.csv): ready, not ready, one pair per ReplicaSet.
# (No green: the available line and bound are green.)
vsolid = '#2c6db5 #e07b00 #7b3294 #01665e #8c510a #c51b7d'
vlight = '#a9c8ea #f7c98b #c9a6d8 #80cdc1 #dfc27d #f1b6da'

# Both panels share the time axis and the margins (in screen units).
# The key beside the top panel: wider for the ReplicaSets' names.
key_x = exists("versions") ? 0.665 : 0.755
set lmargin at screen 0.07
set rmargin at screen key_x - 0.025
set key at screen key_x, graph 1 left top vertical Left reverse \
	spacing 1.15 box lc rgb '#c0c0c0' width 1 \
	title (exists("versions") ? \
		"one colour per ReplicaSet (pod template),\nkept across updates and undo" : \
		"old / new: before / after\nthe latest template change") \
	font ',10'
set xrange [x0:x1]
set xlabel 'time (s)'

if (exists("t_trigger")) {
	set arrow 1 from t_trigger, graph 0 to t_trigger, graph 1 nohead \
		lc rgb '#303030' dt (4,4) lw 1.5 front
}
if (exists("t_complete")) {
	set arrow 2 from t_complete, graph 0 to t_complete, graph 1 nohead \
		lc rgb '#303030' dt (4,4) lw 1.5 front
}

set multiplot title heading font ',14'
set tmargin at screen 0.92
if (has_traffic) {
	set bmargin at screen 0.40
	unset xlabel
}
set ylabel 'pods'
set yrange [0:ytop]
ystep = ytop > 24 ? ceil(ytop / 12.0) : 1
set ytics ystep nomirror
set grid front
# Labels beside the lines, turned inwards near the edges, on two rows.
near(t, f) = t - x0 < f * (x1 - x0)
if (exists("t_trigger")) {
	if (near(t_trigger, 0.25)) {
		set label 1 ' rollout triggered' at t_trigger, graph 0.97 left
	} else {
		set label 1 'rollout triggered ' at t_trigger, graph 0.97 right
	}
	set label 1 tc rgb '#303030' front
}
if (exists("t_complete")) {
	if (near(t_complete, 0.75)) {
		set label 2 ' rollout complete' at t_complete, graph 0.91 left
	} else {
		set label 2 'rollout complete ' at t_complete, graph 0.91 right
	}
	set label 2 tc rgb '#303030' front
}
sb = exists("surge_bound") ? surge_bound : NaN
ab = exists("avail_bound") ? avail_bound : NaN
sb_title = exists("surge_bound") ? \
	sprintf('replicas + maxSurge = %d', surge_bound) : ''
ab_title = exists("avail_bound") ? \
	sprintf('replicas - maxUnavailable = %d', avail_bound) : ''
if (exists("versions")) {
	# Bands by version: k = 1, 2 are v1 ready and not ready, 3, 4 v2's
	# ..., 2 nver + 1 the terminating pods; each from 0 to the sum of
	# the columns up to it, drawn tallest first.
	cum(k) = k <= 0 ? 0 : column(k + 1) + cum(k - 1)
	vcol(k) = k > 2 * nver ? '#c8c8c8' : \
		word(k % 2 ? vsolid : vlight, (k - 1) / 2 % 6 + 1)
	vtitle(k) = k > 2 * nver ? 'terminating' : \
		value(sprintf('vl%d', (k + 1) / 2)) . \
		(k % 2 ? ' ready' : ' not ready')
	plot for [k = 2 * nver + 1:1:-1] versions using 1:(cum(k)) \
		with fillsteps fs solid 1 noborder lc rgb vcol(k) \
		title vtitle(k), \
	timeline using 'time_s':'available' with steps ls 6 title 'available', \
	'' using 'time_s':'pending' with steps ls 7 title 'pending', \
	sb with lines ls 8 title sb_title, \
	ab with lines ls 9 title ab_title
} else {
	plot timeline using 'time_s':(c('old_pods') + c('new_pods') + \
			c('terminating')) with fillsteps fs solid 1 noborder ls 5 \
			title 'terminating', \
		'' using 'time_s':(c('old_pods') + c('new_pods')) \
			with fillsteps fs solid 1 noborder ls 4 title 'new, not ready', \
		'' using 'time_s':(c('old_pods') + c('new_ready')) \
			with fillsteps fs solid 1 noborder ls 3 title 'new, ready', \
		'' using 'time_s':'old_pods' \
			with fillsteps fs solid 1 noborder ls 2 title 'old, not ready', \
		'' using 'time_s':'old_ready' \
			with fillsteps fs solid 1 noborder ls 1 title 'old, ready', \
		'' using 'time_s':'available' with steps ls 6 title 'available', \
		'' using 'time_s':'pending' with steps ls 7 title 'pending', \
		sb with lines ls 8 title sb_title, \
		ab with lines ls 9 title ab_title
}

if (has_traffic) {
	unset label 1
	unset label 2
	unset title
	set tmargin at screen 0.33
	set bmargin at screen 0.08
	set xlabel 'time (s)'
	set ylabel 'requests/s' tc rgb '#2c6db5'
	set y2label 'errors/s' tc rgb '#d7191c'
	# Nothing above 0 in the window: a fixed axis (autoscaling
	# would warn, or fail when no second is in the window).
	if (!exists("req_view") || req_view > 0) {
		set yrange [0:*]
	} else {
		set yrange [0:1]
	}
	if (!exists("err_view") || err_view > 0) {
		set y2range [0:*]
	} else {
		set y2range [0:1]
	}
	set ytics autofreq nomirror tc rgb '#2c6db5'
	set y2tics autofreq nomirror tc rgb '#d7191c'
	set grid back
	set key at screen key_x + 0.035, graph 1 left top title ''
	plot traffic using 'time_s':'requests' with steps ls 10 \
		title 'requests/s', \
	     '' using 'time_s':(errs(0)) axes x1y2 with steps ls 11 \
		title 'errors/s (right axis)'
}
unset multiplot
