# delivery.gp - which delivery strategy ships a bad release to the fewest
# users, at what cost in time and pods (rollsim plot SWEEP_DIR, when the
# sweep has variants and summary.csv has exposure.new_failed).
#
# Left panel, the bad release: mean failed requests caused by the new
# version (exposure.new_failed) against the mean time from the change
# until the release was rolled back (delivery.time_to_rollback_s) or, when
# it was not, promoted (delivery.time_to_promote_s, else
# rollout.duration_s). Right panel, the good release: mean extra
# pod-seconds (cost.extra_pod_seconds) against the mean time to promote.
# One marker per variant (the same colour in both panels), 95 %
# confidence half-widths as error bars both ways. Down and to the left is
# better in both.
#
# Variables (gnuplot -e): data, out, fmt (required); scripts (this
# directory); title (the scenario); reps; bad, good (the two releases'
# vary values); known (0: neither release failed more than the other, so
# the panels are not called bad and good); nv (the variants); logy (1: the left panel's y axis is
# logarithmic); the axes of each panel (0 left, 1 right): x from 0 to
# xhi0, y from ylo0 to yhi0 (rollsim places the labels for these). data:
# block 0 the bad release, block 1 the good one, one row per variant: v
# time_s time_ci95 new_failed new_failed_ci95 extra_pod_s
# extra_pod_s_ci95 aborted n "time_of" label_y left "label" (NaN:
# missing; label_y: the height of the label, away from the others; left:
# 1 when the label ends left of its marker). gone0, gone1: the variants a
# panel cannot draw (no time: neither promoted, rolled back nor
# completed in any run, or no value), named under the panel.
if (!exists("scripts")) scripts = 'plots'
if (!exists("width")) width = 1500
if (!exists("height")) height = 720
load scripts.'/common.gp'
if (!exists("title")) title = 'sweep'
if (!exists("reps")) reps = 0
if (!exists("logy")) logy = 0
if (!exists("nv")) nv = 1
if (!exists("bad")) bad = ''
if (!exists("good")) good = ''
if (!exists("known")) known = 1
if (!exists("xhi0")) xhi0 = 1
if (!exists("ylo0")) ylo0 = 0
if (!exists("yhi0")) yhi0 = 1
if (!exists("xhi1")) xhi1 = 1
if (!exists("ylo1")) ylo1 = 0
if (!exists("yhi1")) yhi1 = 1
heading = title . ': which strategy ships a bad release to the fewest ' . \
	'users, at what cost in time and pods' . "\n" . 'mean ± 95 % CI' . \
	(reps > 0 ? sprintf(' over %d runs per marker', int(reps)) : '') . \
	'; lower and to the left is better'
if (exists("user_title")) heading = user_title

ok(c) = strcol(c) eq 'NaN' ? 0 : column(c)
is(v) = int(column(1)) == v

set grid
set errorbars lw 1.2
unset key
set multiplot layout 1, 2 title heading font ',14'

# ------------------------------------------------- left: the bad release
set title (known ? 'bad release ' : 'release ') . bad . \
	': users hurt, and how long until it stopped'
set xlabel 'time from the change until rolled back (or, if shipped, promoted), s'
set ylabel 'failed requests caused by the new version (per run)'
set xrange [0:xhi0]
set yrange [ylo0:yhi0]
if (logy) {
	set logscale y
	set format y '%.0f'
}
if (exists("gone0")) {
	set label 1 'not drawn (no time or no value): ' . gone0 \
		at graph 0.01, graph 0.02 left font ',9' tc rgb '#606060'
}
plot for [v = 0:nv - 1] data index 0 \
	using (is(v) ? $2 : NaN):4:(ok(3)):(ok(5)) with xyerrorbars \
	lt (v + 1) lw 1.5, \
     for [v = 0:nv - 1] data index 0 \
	using 2:(is(v) && $12 == 0 ? $11 : NaN):13 with labels left \
	offset char 0.8, 0 font ',10' tc lt (v + 1), \
     for [v = 0:nv - 1] data index 0 \
	using 2:(is(v) && $12 == 1 ? $11 : NaN):13 with labels right \
	offset char -0.8, 0 font ',10' tc lt (v + 1)

# ------------------------------------------- right: the good release
unset logscale y
unset label 1
set format y '% h'
if (exists("gone1")) {
	set label 1 'not drawn (no time or no value): ' . gone1 \
		at graph 0.01, graph 0.02 left font ',9' tc rgb '#606060'
}
set title (known ? 'good release ' : 'release ') . good . \
	': the price of shipping it'
set xlabel 'time from the change until promoted, s'
set ylabel 'extra pod-seconds (pods above the replicas, per run)'
set xrange [0:xhi1]
set yrange [ylo1:yhi1]
plot for [v = 0:nv - 1] data index 1 \
	using (is(v) ? $2 : NaN):6:(ok(3)):(ok(7)) with xyerrorbars \
	lt (v + 1) lw 1.5, \
     for [v = 0:nv - 1] data index 1 \
	using 2:(is(v) && $12 == 0 ? $11 : NaN):13 with labels left \
	offset char 0.8, 0 font ',10' tc lt (v + 1), \
     for [v = 0:nv - 1] data index 1 \
	using 2:(is(v) && $12 == 1 ? $11 : NaN):13 with labels right \
	offset char -0.8, 0 font ',10' tc lt (v + 1)
unset multiplot
