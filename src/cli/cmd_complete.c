/* `neurotop --complete -- WORD...`: the candidates for the next word of a
 * command line, for the bash and zsh completions (tools/completion/). The
 * options are read from the commands' own --help texts and the names from
 * the tables, so the completions follow the program without a list of
 * their own. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "neurotop/cli/commands.h"
#include "neurotop/core/datadir.h"
#include "neurotop/measure/analyses.h"
#include "neurotop/model/model.h"
#include "neurotop/tui/theme.h"

#define HELP_MAX (64 * 1024)
#define OPTS_MAX 96
#define WORD_LEN 48

/* An option line of a help text: "  --name META   text". */
typedef struct {
    char name[WORD_LEN]; /* "--theme" */
    char meta[WORD_LEN]; /* "T", "asym|sym|none"; "" for a switch */
} OptSpec;

typedef struct {
    OptSpec o[OPTS_MAX];
    size_t n;
} OptList;

/* What `neurotop NAME [SUB] --help` prints, read back from a temporary
 * file standing in for stdout (stderr is muted meanwhile). NULL on failure;
 * the caller frees. */
static char *capture_help(const CliCommand *c, const char *sub)
{
    char name[WORD_LEN], subw[WORD_LEN], help[] = "--help";
    snprintf(name, sizeof name, "%s", c->name);
    snprintf(subw, sizeof subw, "%s", sub ? sub : "");
    char *args[4] = {name, sub ? subw : help, sub ? help : NULL, NULL};
    int nargs = sub ? 3 : 2;
    FILE *tmp = tmpfile();
    int null = open("/dev/null", O_WRONLY);
    if (!tmp || null < 0) {
        if (tmp)
            fclose(tmp);
        if (null >= 0)
            close(null);
        return NULL;
    }
    fflush(stdout);
    fflush(stderr);
    int out = dup(STDOUT_FILENO), err = dup(STDERR_FILENO);
    dup2(fileno(tmp), STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    c->run(nargs, args);
    fflush(stdout);
    fflush(stderr);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    close(out);
    close(err);
    close(null);
    char *text = calloc(HELP_MAX + 1, 1);
    if (text) {
        lseek(fileno(tmp), 0, SEEK_SET);
        ssize_t got = read(fileno(tmp), text, HELP_MAX);
        text[got > 0 ? got : 0] = '\0';
    }
    fclose(tmp);
    return text;
}

static int has_opt(const OptList *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->o[i].name, name) == 0)
            return 1;
    return 0;
}

static int takes_value(const OptList *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->o[i].name, name) == 0)
            return l->o[i].meta[0] != '\0';
    return 0;
}

/* The options a help text lists at the start of its lines. */
static void parse_options(const char *text, OptList *l)
{
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        const char *q = p;
        while (*q == ' ')
            q++;
        /* Option lines are indented by two; deeper lines continue a text. */
        if (q == p || q - p > 4 || q[0] != '-' || q[1] != '-' || q[2] < 'a' || q[2] > 'z')
            continue;
        size_t len = strspn(q, "-abcdefghijklmnopqrstuvwxyz0123456789");
        if (len >= WORD_LEN || l->n == OPTS_MAX || (q[len] != ' ' && q[len] != '\n' && q[len]))
            continue;
        OptSpec s;
        memcpy(s.name, q, len);
        s.name[len] = '\0';
        s.meta[0] = '\0';
        /* One space then a word is its value; more spaces start the text. */
        if (q[len] == ' ' && q[len + 1] != ' ' && q[len + 1] != '\n' && q[len + 1]) {
            size_t m = strcspn(q + len + 1, " \n");
            if (m < WORD_LEN) {
                memcpy(s.meta, q + len + 1, m);
                s.meta[m] = '\0';
            }
        }
        if (!has_opt(l, s.name))
            l->o[l->n++] = s;
    }
}

static void collect(const CliCommand *c, const char *sub, OptList *l)
{
    char *text = capture_help(c, sub);
    if (text)
        parse_options(text, l);
    free(text);
}

/* `experiment hebbff-modularity` takes every train option but these. */
static void add_train_options(OptList *l)
{
    OptList t = {.n = 0};
    collect(cli_command_find("train"), NULL, &t);
    for (size_t i = 0; i < t.n; i++)
        if (strcmp(t.o[i].name, "--model") != 0 && strcmp(t.o[i].name, "--headless") != 0 &&
            !has_opt(l, t.o[i].name) && l->n < OPTS_MAX)
            l->o[l->n++] = t.o[i];
}

/* The run directories shipped with neurotop (sample-runs/NAME). */
static void print_sample_runs(void)
{
    char dirs[DATADIR_MAX][DATADIR_PATH_LEN];
    size_t nd = datadir_candidates("sample-runs", dirs, DATADIR_MAX);
    for (size_t i = 0; i < nd; i++) {
        DIR *d = opendir(dirs[i]);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d)) != NULL)
            if (e->d_name[0] != '.')
                printf("%s/%s\n", dirs[i], e->d_name);
        closedir(d);
        return; /* the first folder that exists: the one in use */
    }
}

/* Values for option o (its name and metavariable). */
static void print_values(const OptSpec *o)
{
    if (strcmp(o->name, "--model") == 0) {
        for (size_t i = 0; i < model_kind_count(); i++)
            printf("%s\n", model_kind_at(i)->name);
    } else if (strcmp(o->name, "--theme") == 0) {
        char names[64][THEME_NAME_LEN];
        size_t n = theme_list_names(names, 64);
        for (size_t i = 0; i < n; i++)
            printf("%s\n", names[i]);
        printf("@files\n");
    } else if (strcmp(o->name, "--init") == 0) {
        for (int i = MODEL_INIT_UNIFORM; i <= MODEL_INIT_TINY; i++)
            printf("%s\n", model_init_name((ModelInit)i));
    } else if (strcmp(o->name, "--data") == 0) {
        printf("mnist10k\nfashion\n@dirs\n");
    } else if (strchr(o->meta, '|')) {
        char buf[WORD_LEN];
        snprintf(buf, sizeof buf, "%s", o->meta);
        for (char *tok = strtok(buf, "|"); tok; tok = strtok(NULL, "|"))
            printf("%s\n", tok);
    } else if (strcmp(o->meta, "DIR") == 0) {
        printf("@dirs\n");
    } else if (strcmp(o->meta, "FILE") == 0) {
        printf("@files\n");
    }
}

int cli_complete_main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--") == 0)
        first = 2;
    char **w = argv + first;
    int n = argc - first;
    const CliCommand *cmd = n > 0 ? cli_command_find(w[0]) : NULL;
    if (n == 0)
        for (size_t i = 0; i < cli_command_count; i++)
            printf("%s\n", cli_commands[i].name);
    int rest = cmd ? 1 : 0; /* the first word after the command */
    if (!cmd)
        cmd = cli_command_find("tui");
    int is_analyze = strcmp(cmd->name, "analyze") == 0;
    int is_experiment = strcmp(cmd->name, "experiment") == 0;
    if ((is_analyze || is_experiment) && n == rest) {
        if (is_analyze)
            for (size_t i = 0; i < analysis_spec_count; i++)
                printf("%s\n", analysis_specs[i].name);
        else
            for (size_t i = 0; cli_experiment_names[i]; i++)
                printf("%s\n", cli_experiment_names[i]);
        printf("--help\n");
        return 0;
    }
    const char *sub = is_analyze || is_experiment ? w[rest] : NULL;
    OptList l = {.n = 0};
    collect(cmd, sub, &l);
    if (is_experiment && strcmp(sub, "hebbff-modularity") == 0)
        add_train_options(&l);
    if (n > rest) {
        const char *prev = w[n - 1];
        for (size_t i = 0; i < l.n; i++)
            if (strcmp(l.o[i].name, prev) == 0 && l.o[i].meta[0]) {
                print_values(&l.o[i]);
                return 0;
            }
    }
    /* A run directory is the positional word of replay and check. */
    int wants_run = strcmp(cmd->name, "replay") == 0 || strcmp(cmd->name, "check") == 0;
    for (int i = rest; wants_run && i < n; i++)
        if (w[i][0] != '-' && (i == rest || !takes_value(&l, w[i - 1])))
            wants_run = 0;
    if (wants_run) {
        print_sample_runs();
        printf("@dirs\n");
    }
    for (size_t i = 0; i < l.n; i++)
        printf("%s\n", l.o[i].name);
    printf("--help\n");
    if (n == 0)
        printf("--version\n");
    return 0;
}
