/* probe.c - consecutive-result thresholds of a kubelet probe worker. */
#include "probe.h"

void probe_state_init(struct probe_state *s, int initial)
{
	s->published = initial;
	s->run_success = 0;
	s->run_failure = 0;
}

int probe_attempt_counts(const struct probe_config *c, sim_time_t started_ns,
			 sim_time_t now_ns)
{
	/* the kubelet truncates the container's age to whole seconds */
	sim_time_t age_s = (now_ns - started_ns) / SIM_NS_PER_S;

	return now_ns >= started_ns && age_s * SIM_NS_PER_S >= c->initial_delay_ns;
}

int probe_record(struct probe_state *s, const struct probe_config *c,
		 int success)
{
	if (success) {
		s->run_failure = 0;
		s->run_success++;
		if (!s->published && s->run_success >= c->success_threshold) {
			s->published = 1;
			return 1;
		}
	} else {
		s->run_success = 0;
		s->run_failure++;
		if (s->published && s->run_failure >= c->failure_threshold) {
			s->published = 0;
			return 1;
		}
	}
	return 0;
}
