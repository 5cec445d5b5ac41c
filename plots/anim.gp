# anim.gp - the pods of a run over time, an animated GIF (rollsim plot
# RUN_DIR --animate).
#
# Each frame draws one block of data: a row of blocks per row of
# plot_anim.c (not terminating, available, then one per version), the
# time above them, each row's count on the left; the surge bound and the
# availability bound are lines across their rows (the row labels, made
# by plot_anim.c, say their values).
#
# Variables (gnuplot -e): data, out, nframes, nrows, rl0.. (row labels,
# top first), blocks (the widest row) (required); scripts; title (the
# scenario); surge_bound, avail_bound (absent for Recreate); width,
# height (--size; default 960 x 540); user_title (--title).
# data rows: kind x y rgb "text"; kind 0 a pod, 1 a terminating pod
# (framed), 2 the frame's time, 3 a row's count.
if (!exists("scripts")) scripts = 'plots'
if (!exists("width")) width = 960
if (!exists("height")) height = 540
if (!exists("title")) title = 'run'
heading = title . ': pods over time'
if (exists("user_title")) heading = user_title
fsz = int(11.0 * height / 540 + 0.5)
fnt = sprintf('Sans,%d', fsz)
set terminal gif animate delay 60 loop 0 optimize size width,height \
	noenhanced font fnt background rgb 'white'
set output out
set border 0
unset key
unset xtics
set lmargin at screen 0.30
set rmargin at screen 0.97
set tmargin at screen 0.86
set bmargin at screen 0.06
set xrange [-1.2:blocks + 1.5]
set yrange [-0.6:nrows - 0.1]
set ytics () nomirror
set tics scale 0
unset xtics
do for [i = 0:nrows - 1] {
	set ytics add (value(sprintf('rl%d', i)) nrows - 1 - i)
}
set title heading font sprintf(',%d', int(fsz * 1.3))
top = nrows - 1
set label 3 'solid: ready, light: not ready, framed: terminating' \
	at screen 0.30, screen 0.03 left tc rgb '#606060'
if (exists("surge_bound")) {
	set arrow 1 from surge_bound + 0.5, top - 0.48 to surge_bound + 0.5, \
		top + 0.48 nohead lc rgb '#c0392b' lw 3 front
}
if (exists("avail_bound")) {
	set arrow 2 from avail_bound + 0.5, top - 1.48 to \
		avail_bound + 0.5, top - 0.52 nohead lc rgb '#108a3a' lw 3 front
}
do for [i = 0:nframes - 1] {
	plot data index i using ($1 == 1 ? $2 : NaN):3:(0.42):(0.36) \
		with boxxyerror fs solid 1 noborder lc rgb '#606060', \
	     '' index i using ($1 == 1 ? $2 : NaN):3:(0.36):(0.30):4 \
		with boxxyerror fs solid 1 noborder lc rgb variable, \
	     '' index i using ($1 == 0 ? $2 : NaN):3:(0.42):(0.36):4 \
		with boxxyerror fs solid 1 noborder lc rgb variable, \
	     '' index i using ($1 == 2 ? $2 : NaN):3:5 with labels left, \
	     '' index i using ($1 == 3 ? -0.6 : NaN):3:5 with labels right
}
# Close the file: the GIF ends here.
unset output
