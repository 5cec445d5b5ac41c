# overlay.gp - two runs on one chart (rollsim plot RUN_A RUN_B).
#
# Top panel, from each run's timeline: available pods (solid) and the
# pods that count against the surge bound, old + new (dashed), run A in
# blue, run B in orange. Bottom panel, when either run has traffic:
# errors/s of both runs, on the same time axis.
#
# Variables (gnuplot -e): data_a, data_b (plot.c's copies of the two
# timeline.csv), out, fmt (required); scripts (this directory);
# label_a, label_b (the runs' names); traffic_a, traffic_b, has_a,
# has_b (1 when that run's traffic.csv has rows); xmin, xmax (the
# window); ymax_fixed (--ymax); user_title (--title).
if (!exists("scripts")) scripts = 'plots'
if (!exists("has_a")) has_a = 0
if (!exists("has_b")) has_b = 0
has_traffic = has_a || has_b
if (!exists("width")) width = 1280
if (!exists("height")) height = has_traffic ? 850 : 650
load scripts.'/common.gp'
if (!exists("label_a")) label_a = 'A'
if (!exists("label_b")) label_b = 'B'
heading = label_a . ' vs ' . label_b
if (exists("user_title")) heading = user_title

set datafile separator ','
set datafile columnheaders
c(n) = column(n)
stats data_a using 'time_s':(c('old_pods') + c('new_pods')) nooutput
ya = STATS_max_y
stats data_b using 'time_s':(c('old_pods') + c('new_pods')) nooutput
yb = STATS_max_y
# Headroom for the key, inside the panel at the top.
ytop = ceil((ya > yb ? ya : yb) * 1.4 + 1)
if (exists("ymax_fixed")) ytop = ymax_fixed
# The errors' scale over the whole runs (before the xrange, which stats
# would honour): room for the key above the highest second.
errs(x) = c('no_endpoint') + c('refused') + c('overload') + \
	c('timeout') + c('reset')
emax = 0
if (has_a) {
	stats traffic_a using 'time_s':(errs(0)) nooutput
	emax = STATS_max_y
}
if (has_b) {
	stats traffic_b using 'time_s':(errs(0)) nooutput
	emax = STATS_max_y > emax ? STATS_max_y : emax
}
x0 = exists("xmin") ? xmin : 0
x1 = exists("xmax") ? xmax : x0 + 1
if (x1 <= x0) x1 = x0 + 1

set style line 1 lc rgb '#0072b2' lw 3                 # A available
set style line 2 lc rgb '#0072b2' lw 2 dt (8,4)        # A old + new
set style line 3 lc rgb '#e69f00' lw 3                 # B available
set style line 4 lc rgb '#e69f00' lw 2 dt (8,4)        # B old + new

set lmargin at screen 0.07
set rmargin at screen 0.97
set key inside left top vertical Left reverse opaque \
	spacing 1.15 box lc rgb '#c0c0c0' width 1 font ',10'
set xrange [x0:x1]
set multiplot title heading font ',14'
set tmargin at screen 0.92
if (has_traffic) {
	set bmargin at screen 0.40
	unset xlabel
} else {
	set xlabel 'time (s)'
}
set ylabel 'pods'
set yrange [0:ytop]
ystep = ytop > 24 ? ceil(ytop / 12.0) : 1
set ytics ystep nomirror
set grid front
plot data_a using 'time_s':'available' with steps ls 1 \
		title label_a . ': available', \
	data_a using 'time_s':(c('old_pods') + c('new_pods')) with steps \
		ls 2 title label_a . ': pods (old + new)', \
	data_b using 'time_s':'available' with steps ls 3 \
		title label_b . ': available', \
	data_b using 'time_s':(c('old_pods') + c('new_pods')) with steps \
		ls 4 title label_b . ': pods (old + new)'

if (has_traffic) {
	set tmargin at screen 0.33
	set bmargin at screen 0.08
	set xlabel 'time (s)'
	set ylabel 'errors/s'
	set ytics autofreq nomirror
	set grid back
	set yrange [0:(emax > 0 ? emax * 1.6 : 1)]
	if (has_a && has_b) {
		plot traffic_a using 'time_s':(errs(0)) with steps ls 1 \
			title label_a . ': errors/s', \
		     traffic_b using 'time_s':(errs(0)) with steps ls 3 \
			title label_b . ': errors/s'
	} else {
		if (has_a) {
			plot traffic_a using 'time_s':(errs(0)) with steps \
				ls 1 title label_a . ': errors/s'
		} else {
			plot traffic_b using 'time_s':(errs(0)) with steps \
				ls 3 title label_b . ': errors/s'
		}
	}
}
unset multiplot
