/* test_plot_slides.c - `rollsim plot` for slides: the options --from,
 * --to, --title, --ymax, --size and their errors; the states that last
 * no time left out of the table gnuplot draws; the rollout view from the
 * trigger to the last terminating pod gone and the last error; the
 * resolved values on the heatmap's axes; two runs overlaid; the
 * animated GIF; and no word from gnuplot on stderr.
 * Hand-made run directories (summary.json, timeline.csv, traffic.csv
 * written here) give numbers derived by hand; tests that need gnuplot
 * skip when it is not installed.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_util.h"

static int have_gnuplot(void)
{
	return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

#define NEED_GNUPLOT()                                                      \
	do {                                                                \
		if (!have_gnuplot())                                        \
			cr_skip_test("gnuplot is not installed: plots not " \
				     "tested");                             \
	} while (0)

/* rollsim args: exit 0 and nothing on stderr (no gnuplot warning);
 * returns stdout (malloc'ed). */
static char *run_quiet(const char *args)
{
	struct cli_result r;
	char *out;

	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "rollsim %s exited %d: %s", args, r.status,
		     r.err ? r.err : "");
	cr_assert_str_empty(r.err, "rollsim %s wrote on stderr: %s", args,
			    r.err);
	out = r.out;
	r.out = NULL;
	cli_result_free(&r);
	return out;
}

static void write_in(const char *dir, const char *name, const char *text)
{
	char path[1300];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(cli_write(path, text), 0, "cannot write %s", path);
}

static char *read_in(const char *dir, const char *name)
{
	char path[1300];
	char *s;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	s = cli_slurp(path, NULL);
	cr_assert_not_null(s, "%s was not written", path);
	return s;
}

static int exists(const char *dir, const char *name)
{
	char path[1300];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

static const char tl_header[] =
	"time_s,revision,old_pods,new_pods,old_ready,new_ready,available,"
	"terminating,pending,endpoints,desired_old,desired_new\n";

/* A run of 5 replicas (maxSurge 2, maxUnavailable 1), 100 s long,
 * triggered at 60 s, complete at 70 s; the last terminating pod goes at
 * 75 s; traffic.csv has errors in the second from 79 s, none after. */
static void write_run(const char *dir)
{
	char text[8192];
	int s;

	cr_assert_eq(mkdir(dir, 0777), 0, "mkdir %s", dir);
	write_in(dir, "summary.json",
		 "{\"scenario\": \"hand\", \"seed\": 1, \"until_s\": 100, "
		 "\"deployment\": {\"strategy\": \"RollingUpdate\", "
		 "\"replicas\": 5, \"max_surge\": 2, \"max_unavailable\": 1},"
		 " \"rollouts\": [{\"revision\": 2, \"triggered_s\": 60, "
		 "\"completed_s\": 70}]}");
	/* At 60 s the controller acts three times at one instant: 6, then 7
	 * pods, then one old pod terminating: only the last state lasts. */
	snprintf(text, sizeof(text), "%s"
		 "0,1,0,5,0,5,5,0,0,5,0,5\n"
		 "60,2,5,1,5,0,5,0,1,5,5,2\n"
		 "60,2,5,2,5,0,5,0,2,5,5,2\n"
		 "60,2,4,2,4,0,4,1,2,5,4,2\n"
		 "65,2,4,2,4,2,6,0,0,6,4,2\n"
		 "70,2,0,5,0,5,5,4,0,5,0,5\n"
		 "75,2,0,5,0,5,5,0,0,5,0,5\n", tl_header);
	write_in(dir, "timeline.csv", text);
	snprintf(text, sizeof(text), "time_s,requests,ok,no_endpoint,refused,"
		 "overload,timeout,reset,p50_ms,p99_ms,in_flight,endpoints\n");
	for (s = 0; s < 100; s++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "%d,10,%d,0,%d,0,0,0,1,2,0,5\n", s,
			 s == 61 || s == 79 ? 8 : 10,
			 s == 61 || s == 79 ? 2 : 0);
	write_in(dir, "traffic.csv", text);
}

/* A fresh directory with the hand-made run in it, as DIR/run. */
static char *hand_run(char *run, size_t n)
{
	char *tmp = cli_tmpdir();

	snprintf(run, n, "%s/run", tmp);
	write_run(run);
	return tmp;
}

/* ------------------------------------------------------------ options */

/* A bad option value: exit 2, one line on stderr naming it, nothing on
 * stdout, no plots directory. Needs no gnuplot: the values are checked
 * before anything is read. */
static void expect_bad(const char *run, const char *opts, const char *want)
{
	struct cli_result r;
	char args[1500];
	const char *nl;

	snprintf(args, sizeof(args), "plot %s %s", run, opts);
	cli_run(&r, args);
	cr_expect_eq(r.status, 2, "%s: exit %d", opts, r.status);
	cr_expect_not_null(strstr(r.err, want), "%s: stderr %s", opts, r.err);
	nl = strchr(r.err, '\n');
	cr_expect(nl && !nl[1], "%s: not one line: %s", opts, r.err);
	cr_expect_str_empty(r.out, "%s: stdout %s", opts, r.out);
	cr_expect(!exists(run, "plots"), "%s: plots/ written", opts);
	cli_result_free(&r);
}

Test(plot_slides, bad_options)
{
	char run[1200], *tmp = hand_run(run, sizeof(run));

	expect_bad(run, "--from soon", "--from: a time such as 62s");
	expect_bad(run, "--from -5", "--from: a time such as 62s");
	expect_bad(run, "--to 1x", "--to: a time such as 62s");
	expect_bad(run, "--from 80s --to 1m", "--to 1m must be after "
		   "--from 80s");
	expect_bad(run, "--from 30 --to 30", "--to 30 must be after");
	expect_bad(run, "--ymax 0", "--ymax: a whole number of pods");
	expect_bad(run, "--ymax 2.5", "--ymax: a whole number of pods");
	expect_bad(run, "--size 1920", "--size: WxH such as 1920x1080");
	expect_bad(run, "--size 100x100", "--size: WxH such as 1920x1080");
	cli_rmrf(tmp);
	free(tmp);
}

/* --from at or after the end of the run (100 s) is bad input too, found
 * once the run is read: still nothing written. */
Test(plot_slides, from_after_the_run)
{
	char run[1200], *tmp = hand_run(run, sizeof(run));

	NEED_GNUPLOT();
	expect_bad(run, "--from 100", "is not before the end of the run");
	cli_rmrf(tmp);
	free(tmp);
}

/* ------------------------------------------------------------ timeline */

/* timeline_steps.csv: the three rows at 60 s become the last of them
 * (6 and 7 pods lasted no time: no spike), then the last state again at
 * until_s = 100. timeline_views.dat: the whole run, and the rollout view
 * from the trigger (60) to the latest of the completion (70), the last
 * terminating pod gone (75) and the end of the last second with errors
 * (79 + 1 = 80), a quarter of those 20 s (5 s) on either side: 55 to
 * 85. */
Test(plot_slides, no_spikes_and_the_rollout_view)
{
	char run[1200], args[1300], want[2048];
	char *tmp = hand_run(run, sizeof(run)), *out, *steps, *views;

	NEED_GNUPLOT();
	snprintf(args, sizeof(args), "plot %s", run);
	out = run_quiet(args);
	steps = read_in(run, "plots/timeline_steps.csv");
	snprintf(want, sizeof(want), "%s"
		 "0,1,0,5,0,5,5,0,0,5,0,5\n"
		 "60,2,4,2,4,0,4,1,2,5,4,2\n"
		 "65,2,4,2,4,2,6,0,0,6,4,2\n"
		 "70,2,0,5,0,5,5,4,0,5,0,5\n"
		 "75,2,0,5,0,5,5,0,0,5,0,5\n"
		 "100.000000000,2,0,5,0,5,5,0,0,5,0,5\n", tl_header);
	cr_expect_str_eq(steps, want);
	views = read_in(run, "plots/timeline_views.dat");
	cr_expect_str_eq(views, "# view from_s to_s\ntimeline 0 100\n"
			 "timeline_rollout 55 85\n");
	free(views);
	free(steps);
	free(out);
	cli_rmrf(tmp);
	free(tmp);
}

/* --from/--to set the window of the timeline (not of the rollout view);
 * --title, --ymax and --size are accepted and draw without a word from
 * gnuplot; the PNG is 1920 x 1080 (its IHDR). */
Test(plot_slides, window_title_ymax_size)
{
	char run[1200], args[1500], path[1300];
	char *tmp = hand_run(run, sizeof(run)), *out, *views, *png;
	const unsigned char *u;
	long n = 0;

	NEED_GNUPLOT();
	snprintf(args, sizeof(args), "plot %s --from 50s --to 1m30s --title "
		 "'Rolling update: 5 pods' --ymax 12 --size 1920x1080", run);
	out = run_quiet(args);
	views = read_in(run, "plots/timeline_views.dat");
	cr_expect_str_eq(views, "# view from_s to_s\ntimeline 50 90\n"
			 "timeline_rollout 55 85\n");
	snprintf(path, sizeof(path), "%s/plots/timeline.png", run);
	png = cli_slurp(path, &n);
	cr_assert(png && n > 24, "no timeline.png");
	u = (const unsigned char *)png;
	/* IHDR: width and height, big-endian, at bytes 16 and 20 */
	cr_expect_eq((u[16] << 24) | (u[17] << 16) | (u[18] << 8) | u[19],
		     1920);
	cr_expect_eq((u[20] << 24) | (u[21] << 16) | (u[22] << 8) | u[23],
		     1080);
	free(png);
	free(views);
	free(out);
	cli_rmrf(tmp);
	free(tmp);
}

/* ------------------------------------------------------------ heatmap */

/* flask-app (5 replicas) over maxSurge [1, "25%"] x maxUnavailable
 * [0, "25%"]: 25 % of 5 is 1.25, rounded up for maxSurge (2) and down
 * for maxUnavailable (1) (pkg/controller/deployment/util
 * ResolveFenceposts); whole numbers are shown as they are. heatmap.dat
 * lists the tic labels in its comments. */
Test(plot_slides, heatmap_resolved_labels)
{
	char *tmp = cli_tmpdir(), file[1200], dir[1200], args[2600];
	char *text, *root_text, *out, *dat;
	cJSON *root;

	NEED_GNUPLOT();
	snprintf(file, sizeof(file), "%s/grid.json", tmp);
	snprintf(dir, sizeof(dir), "%s/grid", tmp);
	text = cli_slurp("scenarios/flask-app.json", NULL);
	cr_assert_not_null(text);
	root = cJSON_Parse(text);
	cr_assert_not_null(root);
	cJSON_ReplaceItemInObject(root, "until", cJSON_CreateString("2m"));
	cJSON_AddItemToObject(root, "sweep", cJSON_Parse(
		"{\"replications\": 1, \"vary\": {"
		"\"deployment.strategy.rollingUpdate.maxSurge\": [1, \"25%\"],"
		"\"deployment.strategy.rollingUpdate.maxUnavailable\": "
		"[0, \"25%\"]}}"));
	root_text = cJSON_Print(root);
	cr_assert_eq(cli_write(file, root_text), 0);
	snprintf(args, sizeof(args), "sweep %s --out %s --quiet", file, dir);
	free(run_quiet(args));
	snprintf(args, sizeof(args), "plot %s", dir);
	out = run_quiet(args);
	dat = read_in(dir, "plots/heatmap.dat");
	cr_expect_not_null(strstr(dat, "\n# xt 0 1\n"), "%s", dat);
	cr_expect_not_null(strstr(dat, "\n# xt 1 25% \u2192 2\n"), "%s", dat);
	cr_expect_not_null(strstr(dat, "\n# yt 0 0\n"), "%s", dat);
	cr_expect_not_null(strstr(dat, "\n# yt 1 25% \u2192 1\n"), "%s", dat);
	free(dat);
	free(out);
	free(root_text);
	cJSON_Delete(root);
	free(text);
	cli_rmrf(tmp);
	free(tmp);
}

/* ------------------------------------------------------------ overlay */

/* Two runs: overlay.png and .svg in the first run's plots/ (or --out),
 * with the tables of both; stdout lists the images. A sweep cannot be
 * overlaid, and --animate draws one run: exit 2. */
Test(plot_slides, overlay_two_runs)
{
	char run[1200], run2[1300], outd[1300], args[4000];
	char *tmp = hand_run(run, sizeof(run)), *out, *b;
	struct cli_result r;

	NEED_GNUPLOT();
	snprintf(run2, sizeof(run2), "%s2", run);
	write_run(run2);
	write_in(run2, "summary.json",
		 "{\"scenario\": \"other\", \"seed\": 2, \"until_s\": 100, "
		 "\"deployment\": {\"strategy\": \"RollingUpdate\", "
		 "\"replicas\": 5, \"max_surge\": 1, \"max_unavailable\": 0},"
		 " \"rollouts\": [{\"revision\": 2, \"triggered_s\": 60, "
		 "\"completed_s\": 90}]}");
	snprintf(args, sizeof(args), "plot %s %s", run, run2);
	out = run_quiet(args);
	cr_expect(exists(run, "plots/overlay.png") &&
		  exists(run, "plots/overlay.svg"), "no overlay in plots/");
	cr_expect(exists(run, "plots/overlay_a.csv") &&
		  exists(run, "plots/overlay_b.csv"));
	cr_expect_not_null(strstr(out, "/plots/overlay.png\n"), "%s", out);
	b = read_in(run, "plots/overlay_b.csv");
	cr_expect_eq(strncmp(b, tl_header, strlen(tl_header)), 0);
	free(b);
	free(out);
	snprintf(outd, sizeof(outd), "%s/slides", tmp);
	snprintf(args, sizeof(args), "plot %s %s --out %s", run, run2, outd);
	out = run_quiet(args);
	cr_expect(exists(outd, "overlay.png") && exists(outd, "overlay.svg"),
		  "no overlay in --out");
	free(out);
	snprintf(args, sizeof(args), "plot %s %s", run, tmp);
	cli_run(&r, args);
	cr_expect_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cli_result_free(&r);
	snprintf(args, sizeof(args), "plot %s %s --animate", run, run2);
	cli_run(&r, args);
	cr_expect_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_expect_not_null(strstr(r.err, "--animate draws one run"), "%s",
			   r.err);
	cli_result_free(&r);
	cli_rmrf(tmp);
	free(tmp);
}

/* ------------------------------------------------------------ GIF */

/* The number of images in a GIF (0 when it is not one): walks its
 * blocks as the GIF89a specification lays them out. */
static int gif_frames(const unsigned char *g, long n)
{
	long p = 13;
	int frames = 0;

	if (n < 13 || memcmp(g, "GIF89a", 6) != 0)
		return 0;
	if (g[10] & 0x80)                     /* global colour table */
		p += 3L << ((g[10] & 7) + 1);
	while (p < n && g[p] != 0x3b) {
		if (g[p] == 0x21) {           /* extension: label, blocks */
			p += 2;
		} else if (g[p] == 0x2c) {    /* image: descriptor, table */
			frames++;
			if (p + 9 >= n)
				return 0;
			if (g[p + 9] & 0x80)
				p += 3L << ((g[p + 9] & 7) + 1);
			p += 11;              /* descriptor, LZW code size */
		} else {
			return 0;
		}
		while (p < n && g[p])         /* data sub-blocks */
			p += g[p] + 1;
		p++;
	}
	return p < n ? frames : 0;
}

/* --animate on the hand-made run (no pods.csv: rows from timeline.csv):
 * the window is the rollout view, 55 to 85 s; the frames are its start
 * and the instants that changed something in it: 55, 60, 65, 70, 75
 * (five). The frame at 60 s: 4 old ready, 2 new not ready, 1
 * terminating, 6 not terminating, 4 available. */
Test(plot_slides, animated_gif)
{
	char run[1200], args[1300], path[1300];
	char *tmp = hand_run(run, sizeof(run)), *out, *gif, *dat, *f1;
	long n = 0;
	int k, blocks[5];

	NEED_GNUPLOT();
	snprintf(args, sizeof(args), "plot %s --animate", run);
	out = run_quiet(args);
	cr_expect_not_null(strstr(out, "/plots/pods.gif\n"), "%s", out);
	snprintf(path, sizeof(path), "%s/plots/pods.gif", run);
	gif = cli_slurp(path, &n);
	cr_assert_not_null(gif, "no pods.gif");
	cr_expect_eq(gif_frames((const unsigned char *)gif, n), 5);
	dat = read_in(run, "plots/pods_anim.dat");
	f1 = strstr(dat, "# frame 1: t = 60 s\n");
	cr_assert_not_null(f1, "%s", dat);
	memset(blocks, 0, sizeof(blocks));
	for (f1 = strchr(f1, '\n') + 1; *f1 && *f1 != '\n';
	     f1 = strchr(f1, '\n') + 1) {
		double x, y;
		int kind;

		cr_assert_eq(sscanf(f1, "%d %lf %lf", &kind, &x, &y), 3);
		if (kind <= 1 && x > 0 && y >= 0 && y < 5)
			blocks[4 - (int)y]++;  /* rows from the top */
	}
	k = 0;
	cr_expect_eq(blocks[k++], 6, "not terminating");
	cr_expect_eq(blocks[k++], 4, "available");
	cr_expect_eq(blocks[k++], 4, "old");
	cr_expect_eq(blocks[k++], 2, "new");
	cr_expect_eq(blocks[k++], 1, "terminating");
	free(dat);
	free(gif);
	free(out);
	cli_rmrf(tmp);
	free(tmp);
}

/* ------------------------------------------------------------ quiet */

/* gnuplot says nothing: fix-prestop-sleep has no failed request (an
 * errors axis with nothing above 0 made gnuplot warn "empty y2 range"),
 * and a window before the traffic starts (20 s) has no second of it (an
 * autoscaled axis made gnuplot fail: "all points y value undefined").
 * The GIF terminal's own frame count is not passed on either. */
Test(plot_slides, gnuplot_says_nothing)
{
	char *tmp = cli_tmpdir(), dir[1200], args[1400];

	NEED_GNUPLOT();
	snprintf(dir, sizeof(dir), "%s/run", tmp);
	snprintf(args, sizeof(args), "run scenarios/fix-prestop-sleep.json "
		 "--out %s", dir);
	free(run_quiet(args));
	snprintf(args, sizeof(args), "plot %s --animate", dir);
	free(run_quiet(args));
	snprintf(args, sizeof(args), "plot %s --from 0 --to 5", dir);
	free(run_quiet(args));
	cli_rmrf(tmp);
	free(tmp);
}

/* ------------------------------------------------------------ versions */

/* pods.csv of an update and its undo: v1 is ReplicaSet app-aaa (revision
 * 1, then 3 after the undo), v2 app-bbb (revision 2). */
static const char pods_csv[] =
	"time_s,pod,replicaset,revision,node,status,ready,restarts,change\n"
	"0,app-aaa-1,app-aaa,1,n,Running,1,0,ready\n"
	"0,app-aaa-2,app-aaa,1,n,Running,1,0,ready\n"
	"60,app-bbb-1,app-bbb,2,n,Pending,0,0,created\n"
	"60,app-aaa-2,app-aaa,1,n,Terminating,1,0,terminating\n"
	"60,app-aaa-2,app-aaa,1,n,Terminating,0,0,stopped\n"
	"65,app-aaa-2,app-aaa,1,n,Terminating,0,0,deleted\n"
	"80,app-aaa-3,app-aaa,3,n,Pending,0,0,created\n"
	"80,app-bbb-1,app-bbb,2,n,Terminating,0,0,terminating\n"
	"85,app-aaa-3,app-aaa,3,n,Running,1,0,ready\n"
	"85,app-bbb-1,app-bbb,2,n,Terminating,0,0,deleted\n";

/* timeline_versions.csv: at each instant of pods.csv (its last state),
 * the ready and not ready pods of v1 and v2 and the terminating ones,
 * counted by hand from the rows above; the undo's new pod (80 s) counts
 * for v1 again, not as "new"; the last state again at until_s (100). */
Test(plot_slides, bands_by_version)
{
	char run[1200], args[1300];
	char *tmp = hand_run(run, sizeof(run)), *out, *v;

	NEED_GNUPLOT();
	write_in(run, "pods.csv", pods_csv);
	snprintf(args, sizeof(args), "plot %s", run);
	out = run_quiet(args);
	v = read_in(run, "plots/timeline_versions.csv");
	cr_expect_str_eq(v, "time_s,v1_ready,v1_not_ready,v2_ready,"
			 "v2_not_ready,terminating\n"
			 "0,2,0,0,0,0\n"
			 "60,1,0,0,1,1\n"
			 "65,1,0,0,1,0\n"
			 "80,1,1,0,0,1\n"
			 "85,2,0,0,0,0\n"
			 "100,2,0,0,0,0\n");
	free(v);
	free(out);
	cli_rmrf(tmp);
	free(tmp);
}

/* --animate with pods.csv: one row per ReplicaSet (4 rows in all); the
 * frames are 55 and every instant of either table in (55, 85]: 60, 65,
 * 70, 75 (timeline.csv) and 80, 85 (pods.csv): seven. At 80 s v1 has
 * one ready and one new pod, v2 one terminating pod (framed: kind 1). */
Test(plot_slides, animated_gif_by_version)
{
	char run[1200], args[1300], path[1300];
	char *tmp = hand_run(run, sizeof(run)), *out, *gif, *dat, *f;
	int kind, v1 = 0, v2_term = 0, other = 0;
	double x, y;
	long n = 0;

	NEED_GNUPLOT();
	write_in(run, "pods.csv", pods_csv);
	snprintf(args, sizeof(args), "plot %s --animate", run);
	out = run_quiet(args);
	snprintf(path, sizeof(path), "%s/plots/pods.gif", run);
	gif = cli_slurp(path, &n);
	cr_assert_not_null(gif);
	cr_expect_eq(gif_frames((const unsigned char *)gif, n), 7);
	dat = read_in(run, "plots/pods_anim.dat");
	f = strstr(dat, "# frame 5: t = 80 s\n");
	cr_assert_not_null(f, "%s", dat);
	for (f = strchr(f, '\n') + 1; *f && *f != '\n';
	     f = strchr(f, '\n') + 1) {
		cr_assert_eq(sscanf(f, "%d %lf %lf", &kind, &x, &y), 3);
		if (kind > 1 || x < 1)
			continue;
		if (y == 1)            /* rows from the bottom: v1 is 1 */
			v1++;
		else if (y == 0 && kind == 1)
			v2_term++;
		else if (y == 0)
			other++;
	}
	cr_expect_eq(v1, 2, "v1's pods at 80 s");
	cr_expect_eq(v2_term, 1, "v2's terminating pod at 80 s");
	cr_expect_eq(other, 0);
	free(dat);
	free(gif);
	free(out);
	cli_rmrf(tmp);
	free(tmp);
}
