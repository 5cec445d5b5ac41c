# variants.gp - bars per sweep variant (rollsim plot SWEEP_DIR, when
# sweep.json has variants).
#
# Left panel: mean rollout.duration_s with its 95 % confidence half-width;
# right panel (when the scenario has traffic): mean requests.failed, the
# same way. With a vary grid as well, the bars are grouped by grid point
# (tics: the vary values) and coloured by variant (key); without one, the
# tics name the variants.
#
# Variables (gnuplot -e): data, out, fmt (required); scripts (this
# directory); title (the scenario); reps; nv, vn0.. (variant names); nt, tl0.., tp0.. (tic
# labels and positions); has_traffic; showkey; xname (the tics' meaning);
# ndur, nfail (bars with a mean: 0 skips the stats, which need data).
# data: one block per variant: x dur_mean dur_ci95 fail_mean fail_ci95
# width status n (NaN: missing; status 1 a mean, 0 an invalid point, 2
# no run completed, 3 a placeholder; n the runs that completed: fewer
# than reps is noted above the bar).
if (!exists("scripts")) scripts = 'plots'
if (!exists("has_traffic")) has_traffic = 0
if (!exists("showkey")) showkey = 0
if (!exists("ndur")) ndur = 1
if (!exists("nfail")) nfail = 1
if (!exists("width")) width = has_traffic ? 1400 : 900
if (!exists("height")) height = 650
load scripts.'/common.gp'
if (!exists("title")) title = 'sweep'
if (!exists("reps")) reps = 0
heading = title . ': variants' . \
	(reps > 0 ? sprintf(' (%d runs per bar)', int(reps)) : '')
if (exists("user_title")) heading = user_title
if (!exists("xname")) xname = 'variant'

ok(c) = strcol(c) eq 'NaN' ? 0 : column(c)
why(s) = s == 0 ? 'invalid' : s == 2 ? 'no run completed' : ''
why_fail(s) = s == 0 ? 'invalid' : ''
part(s, n) = s == 1 && reps > 0 && n < reps ? \
	sprintf('%d of %d runs', int(n), int(reps)) : ''
top(m) = m > 0 ? m * (showkey ? 1.25 : 1.1) : 1
stats data using 1 nooutput
xlo = STATS_min - 0.6
xhi = STATS_max + 0.6
dur_top = 1
fail_top = 1
fail_none = 1
if (ndur > 0) {
	stats data using ($2 + ok(3)) nooutput
	dur_top = top(STATS_max)
}
if (nfail > 0) {
	stats data using ($4 + ok(5)) nooutput
	fail_top = top(STATS_max)
	fail_none = !(STATS_max > 0)
}

set xrange [xlo:xhi]
set xtics () scale 0 nomirror
do for [i = 0:nt - 1] {
	set xtics add (pct(value(sprintf('tl%d', i))) value(sprintf('tp%d', i)))
}
if (nt > 6) set xtics rotate by -30 left
set xlabel xname
set grid noxtics ytics
set style fill solid 0.85 border lc rgb '#404040'
set boxwidth 0.8 absolute
set errorbars lw 1.5
if (showkey) {
	set key top right box lc rgb '#c0c0c0' opaque
} else {
	unset key
}
vname(v) = value(sprintf('vn%d', v))

set multiplot layout 1, (has_traffic ? 2 : 1) title heading font ',14'
set ylabel 'mean rollout duration (s)'
set yrange [0:dur_top]
if (ndur == 0) {
	set label 2 'no rollout completed in any run' at graph 0.5, \
		graph 0.6 center tc rgb '#606060'
}
set title 'rollout duration (mean ± 95 % CI)'
plot for [v = 0:nv - 1] data index v using 1:2:6 with boxes lt (v + 1) \
		title vname(v), \
     for [v = 0:nv - 1] data index v using 1:2:(ok(3)) with yerrorbars \
		lc rgb '#202020' pt 7 ps 0.5 notitle, \
     for [v = 0:nv - 1] data index v using 1:(0):(why($7)) with labels \
		rotate by 90 left offset 0, char 0.5 tc rgb '#606060' notitle, \
     for [v = 0:nv - 1] data index v using 1:($2 + ok(3)):(part($7, $8)) \
		with labels offset 0, char 0.8 font ',9' tc rgb '#303030' notitle
if (has_traffic) {
	unset label 2
	set ylabel 'mean failed requests per run'
	set yrange [0:fail_top]
	if (fail_none) {
		set label 1 'no request failed in any run' at graph 0.5, \
			graph 0.6 center tc rgb '#606060'
	}
	set title 'failed requests (mean ± 95 % CI)'
	plot for [v = 0:nv - 1] data index v using 1:4:6 with boxes \
			lt (v + 1) title vname(v), \
	     for [v = 0:nv - 1] data index v using 1:4:(ok(5)) \
			with yerrorbars lc rgb '#202020' pt 7 ps 0.5 notitle, \
	     for [v = 0:nv - 1] data index v using 1:(0):(why_fail($7)) \
			with labels rotate by 90 left offset 0, char 0.5 \
			tc rgb '#606060' notitle
}
unset multiplot
