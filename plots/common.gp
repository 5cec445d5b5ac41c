# common.gp - terminal and style shared by the rollsim plot scripts.
#
# Loaded by timeline.gp, heatmap.gp, tradeoff.gp and variants.gp. Needs the
# variables fmt ('png' or 'svg') and out (the file to write); width and
# height (pixels) are optional; fontscale (--size: text grows with the
# image) too. user_title (--title) replaces each script's heading (each
# script applies it after making its own). PNG uses pngcairo when
# gnuplot has it, else the libgd png terminal. Text is not "enhanced":
# scenario and variant names are printed as they are (an underscore
# stays an underscore).
if (!exists("width")) width = 1200
if (!exists("height")) height = 700
if (!exists("fmt")) fmt = 'png'
fs = exists("fontscale") ? fontscale : 1.0
if (fmt eq 'svg') {
	set terminal svg size width,height dynamic noenhanced \
		font 'Sans,12' fontscale fs background rgb 'white'
} else {
	if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
		set terminal pngcairo size width,height noenhanced \
			font 'Sans,11' fontscale fs background rgb 'white'
	} else {
		set terminal png size width,height noenhanced font 'Sans' 11
	}
}
set output out
set border lw 1 lc rgb '#404040'
set grid lc rgb '#d8d8d8' lw 1 dt 1
set key noautotitle
# A tic label is a format: pct('25%') is '25%%', which prints 25%.
pct(s) = strstrt(s, '%') ? s[1:strstrt(s, '%')] . '%' . \
	pct(s[strstrt(s, '%') + 1:]) : s
# Series colours (Okabe-Ito, distinguishable with colour blindness).
set linetype 1 lc rgb '#0072b2' lw 2 pt 7 ps 1.3
set linetype 2 lc rgb '#e69f00' lw 2 pt 5 ps 1.3
set linetype 3 lc rgb '#009e73' lw 2 pt 9 ps 1.5
set linetype 4 lc rgb '#cc79a7' lw 2 pt 11 ps 1.5
set linetype 5 lc rgb '#56b4e9' lw 2 pt 13 ps 1.5
set linetype 6 lc rgb '#d55e00' lw 2 pt 7 ps 1.3
set linetype 7 lc rgb '#f0e442' lw 2 pt 5 ps 1.3
set linetype 8 lc rgb '#000000' lw 2 pt 9 ps 1.5
set linetype cycle 8
