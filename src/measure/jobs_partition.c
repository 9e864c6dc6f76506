/* Which partition :roles, :modules and :corr pc|mz use, and how they say
 * so (jobs.h): never one of another epoch or another part of the graph. */
#include "neurotop/measure/jobs.h"

#include <stdio.h>
#include <string.h>

#include "neurotop/measure/weightgraph.h"

int job_partition_pick(const AnalysisArgs *a, const Snapshot *s, int part, size_t n, JobPartitionInfo *info)
{
    memset(info, 0, sizeof *info);
    info->epoch = s->epoch;
    info->part = part;
    if (!a->partition)
        return 0;
    const char *src = a->partition_source[0] ? a->partition_source : ":louvain";
    if (a->partition_epoch != s->epoch) {
        snprintf(info->note, sizeof info->note, "(the latest partition, %s, is of epoch %zu, not used)", src,
                 a->partition_epoch);
        return 0;
    }
    if (a->partition_part != part || a->n_nodes != n) {
        snprintf(info->note, sizeof info->note, "(the latest partition, %s, is of the %s graph, not used)", src,
                 graph_part_name((GraphPart)a->partition_part));
        return 0;
    }
    info->latest = 1;
    snprintf(info->source, sizeof info->source, "%s", src);
    return 1;
}

void job_partition_own(JobPartitionInfo *info, size_t reps, uint64_t seed)
{
    snprintf(info->source, sizeof info->source, "best of %zu Louvain runs, seed %llu", reps,
             (unsigned long long)seed);
}

void job_json_partition(JsonWriter *w, const JobPartitionInfo *info)
{
    json_key(w, "partition_used");
    json_object_begin(w);
    json_kv_int(w, "epoch", (long long)info->epoch);
    json_kv_string(w, "graph", graph_part_name((GraphPart)info->part));
    json_kv_string(w, "source", info->source);
    json_object_end(w);
}

void job_partition_text(const JobPartitionInfo *info, StrBuf *text)
{
    strbuf_printf(text, "partition: %s · epoch %zu · %s graph\n", info->source, info->epoch,
                  graph_part_name((GraphPart)info->part));
    if (info->note[0])
        strbuf_printf(text, "%s\n", info->note);
}
