#include "neurotop/run/metrics.h"

#include <stdio.h>
#include <string.h>

static const MetricInfo METRICS[METRIC_COUNT] = {
#define METRIC_ROW(id, key, producer, unit, meaning) {METRIC_##id, key, producer, unit, meaning},
    METRIC_LIST(METRIC_ROW)
#undef METRIC_ROW
};

static const char *const PLACEHOLDERS[] = {"BLOCK", "LAYER"};

const MetricInfo *metric_info(MetricId id)
{
    return (int)id >= 0 && id < METRIC_COUNT ? &METRICS[id] : NULL;
}

/* The placeholder in key: its position and length, or NULL. */
static const char *placeholder(const char *key, size_t *len)
{
    for (size_t i = 0; i < sizeof PLACEHOLDERS / sizeof PLACEHOLDERS[0]; i++) {
        const char *at = strstr(key, PLACEHOLDERS[i]);
        if (at) {
            *len = strlen(PLACEHOLDERS[i]);
            return at;
        }
    }
    return NULL;
}

const char *metric_key(MetricId id, const char *part, char *buf, size_t cap)
{
    const MetricInfo *m = metric_info(id);
    size_t len;
    const char *at = m ? placeholder(m->key, &len) : NULL;
    if (!m)
        snprintf(buf, cap, "?");
    else if (!at)
        snprintf(buf, cap, "%s", m->key);
    else
        snprintf(buf, cap, "%.*s%s%s", (int)(at - m->key), m->key, part ? part : "", at + len);
    return buf;
}

static int is_part_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int matches(const char *tmpl, const char *key)
{
    size_t len;
    const char *at = placeholder(tmpl, &len);
    if (!at)
        return strcmp(tmpl, key) == 0;
    size_t head = (size_t)(at - tmpl), tail = strlen(at + len), n = strlen(key);
    if (n <= head + tail || strncmp(key, tmpl, head) != 0 || strcmp(key + n - tail, at + len) != 0)
        return 0;
    for (size_t i = head; i < n - tail; i++)
        if (!is_part_char(key[i]))
            return 0;
    return 1;
}

const MetricInfo *metric_match(const char *key)
{
    /* Fixed keys first: "flex_q" must not be read as flex_LAYER with LAYER "q". */
    size_t len;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < METRIC_COUNT; i++)
            if ((placeholder(METRICS[i].key, &len) != NULL) == pass && matches(METRICS[i].key, key))
                return &METRICS[i];
    return NULL;
}

void metric_table_markdown(StrBuf *out)
{
    strbuf_append(out, "| key | meaning | unit | set by |\n|---|---|---|---|\n");
    for (size_t i = 0; i < METRIC_COUNT; i++) {
        const MetricInfo *m = &METRICS[i];
        strbuf_printf(out, "| `%s` | %s | %s | `%s` |\n", m->key, m->meaning, m->unit[0] ? m->unit : "—",
                      m->producer);
    }
}

void metric_put(Snapshot *s, MetricId id, const char *part, double value)
{
    char key[METRIC_KEY_LEN];
    snapshot_set_metric(s, metric_key(id, part, key, sizeof key), value);
}

double metric_get(const Snapshot *s, MetricId id, const char *part)
{
    char key[METRIC_KEY_LEN];
    return snapshot_metric(s, metric_key(id, part, key, sizeof key));
}

const char *metric_layer(size_t h, char *buf, size_t cap)
{
    snprintf(buf, cap, "hl%zu", h);
    return buf;
}
