/* libFuzzer target for a run directory's text files (`make fuzz`): the
 * input is run.json, a line "=====", then metrics.jsonl. The folder is
 * opened with replay_open while metrics.jsonl holds only its first half,
 * then the rest is appended and replay_refresh reads it, as replaying a run
 * that is still training does.
 *
 * Contract checked beyond the sanitizers: on failure no replay and one
 * sentence; on success the epochs are strictly ascending, each has one
 * value per series key, every problem is one sentence, and the cursor
 * functions stay on the timeline. */

#include <sys/stat.h>

#include "fuzz_util.h"
#include "neurotop/run/replay.h"

static void check_replay(Replay *r)
{
    size_t n = 0;
    const size_t *e = replay_epochs(r, &n);
    for (size_t i = 1; i < n; i++)
        if (e[i] <= e[i - 1])
            abort();
    const SeriesTable *t = replay_series(r);
    if (t->n != n)
        abort();
    for (size_t i = 0; i < replay_problem_count(r); i++) {
        ReplayProblem p;
        if (!replay_problem_at(r, i, &p))
            abort();
        fuzz_check_msg(p.text);
    }
    if (n) {
        size_t first = replay_clamp(r, 0), last = replay_clamp(r, (size_t)-1);
        if (first != e[0] || last != e[n - 1])
            abort();
        if (replay_step(r, first, 1000000) != last || replay_step(r, last, -1000000) != first)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *metrics;
    size_t json_len, metrics_len;
    fuzz_split(data, size, "\n=====\n", &metrics, &json_len, &metrics_len);
    char dir[128], path[192], msg[STATUS_MSG_LEN] = "";
    snprintf(dir, sizeof dir, "%s/run", fuzz_dir());
    mkdir(dir, 0755);
    fuzz_put_file(path, sizeof path, "run/run.json", data, json_len);
    size_t half = metrics_len / 2;
    fuzz_put_file(path, sizeof path, "run/metrics.jsonl", metrics, half);
    Replay *r = NULL;
    Status st = replay_open(dir, &r, msg);
    if (st != ST_OK) {
        if (r)
            abort();
        fuzz_check_msg(msg);
        return 0;
    }
    check_replay(r);
    FILE *f = fopen(path, "ab");
    if (!f || (metrics_len > half && fwrite(metrics + half, 1, metrics_len - half, f) != metrics_len - half) ||
        fclose(f) != 0)
        abort();
    msg[0] = '\0';
    if (replay_refresh(r, msg) != ST_OK)
        fuzz_check_msg(msg);
    check_replay(r);
    replay_free(r);
    return 0;
}
