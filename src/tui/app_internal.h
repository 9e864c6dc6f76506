/* The App's state, shared by the files of the app (app.c, commands.c,
 * help.c). Not a public header. */
#ifndef NEUROTOP_TUI_APP_INTERNAL_H
#define NEUROTOP_TUI_APP_INTERNAL_H

#include "neurotop/measure/jobs.h"
#include "neurotop/tui/app.h"
#include "neurotop/tui/canvas.h"
#include "neurotop/tui/layout.h"
#include "neurotop/tui/lineedit.h"
#include "neurotop/tui/pane.h"
#include "neurotop/tui/screen.h"
#include "neurotop/tui/theme.h"

#define APP_MAX_PANES LAYOUT_MAX_PANES

typedef struct {
    const PaneOps *ops;
    void *state;
} PaneSlot;

typedef struct App {
    AppConfig cfg;
    Theme theme;
    Screen *screen;
    Canvas *canvas;
    LineEdit *cmd;
    char history_path[1024];
    int editing;
    int help_visible;
    int help_scroll;
    int zoomed;
    size_t focus;
    PaneSlot panes[APP_MAX_PANES];
    size_t n_panes;
    /* The view the panes draw from, refreshed when the store changes. While
     * browsing, snap is the chosen past epoch (view_epoch) instead of the latest. */
    int browsing;
    size_t view_epoch;
    int view_stale;      /* the shown epoch changed: reload the snapshot */
    char view_problem[STATUS_MSG_LEN]; /* why the chosen epoch's snapshot is missing, or "" */
    EpochLookup *epochs; /* other epochs: the store, then the run on disk (shared with the jobs) */
    int playing;         /* replay: Space plays forward */
    double play_speed;   /* epochs per second */
    double next_play;    /* time of the next step */
    long lesson_step;    /* index of the lesson step shown, -1 before the first */
    char lesson_pending[256]; /* a step's command waiting for the cancelled job to end */
    int lesson_scroll;   /* first row of the step's text shown in the box */
    int lesson_rows, lesson_shown; /* its rows and the rows the box showed when last drawn */
    Snapshot *snap;
    SeriesTable series;
    unsigned long view_version;
    /* The one-line message of the bottom row. */
    char message[1024]; /* wraps over rows above the `:` line when long */
    int message_error;
    unsigned long store_message_serial;
    int quit;
    int dirty;
    /* `:` analyses: the runner, the last result and the latest partition. */
    JobRunner *jobs;
    JobResult *result;
    int result_visible;
    int result_scroll;
    double view_yaw, view_pitch; /* rotation of 3-D result clouds (radians) */
    int *partition;
    size_t partition_n;
    size_t partition_epoch;
    int partition_part;          /* GraphPart of the latest partition */
    char partition_source[64];   /* the command that made it */
    char job_command[64];        /* the running job's command line, as typed */
    int job_part;                /* the running job's GraphPart */
    /* The arguments of the last :flex, which :allegiance alone reuses. */
    AnalysisArgs last_flex;
    int have_last_flex;
} App;

/* Run one `:` command line (without the colon). Results and errors go to
 * the message line. */
void app_run_command(App *app, const char *line);

/* The run's folder (live or replayed; NULL when there is none), and what
 * panes may read while drawing. */
const char *app_run_dir(const App *app);
PaneView app_pane_view(const App *app);
/* Completer for the `:` line. */
void app_complete(void *ctx, const char *line, size_t word_start, LineCompletions *out);
/* Set the bottom-row message. */
void app_message(App *app, int is_error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Draw the help overlay over the body. */
void app_draw_help(App *app, Rect body);
/* Draw the last analysis result over the body. */
void app_draw_result(App *app, Rect body);
/* The running job's progress line, if any; returns 1 when drawn. */
int app_draw_job_progress(App *app, Rect line);
/* Epoch browsing (←/→, Home/End): returns 1 when the key was used. */
int app_browse_key(App *app, TuiKey k);
/* The snapshot for the view (retained) and the series; called on change. */
void app_browse_refresh(App *app);
/* Replay playback: advance when due; returns the seconds until the next step
 * (a large value when not playing). */
double app_play_tick(App *app, double now);
/* Jump to an epoch (replay or browsing); clamps to the recorded epochs.
 * The snapshot is reloaded on the next draw or app_view_sync. */
void app_goto_epoch(App *app, size_t epoch);
/* Load the shown epoch's snapshot now when the shown epoch has changed, so
 * a command typed (or a lesson step run) right after a jump sees it. */
void app_view_sync(App *app);
/* Lessons: Enter/Backspace walk the steps; the box shows the step's text. */
int app_lesson_key(App *app, TuiKey k);
void app_draw_lesson(App *app, Rect body);
/* PgDn/PgUp scroll a lesson text longer than its box; returns 1 when used
 * (0 when the text fits, so the keys reach the result overlay). */
int app_lesson_scroll_key(App *app, TuiKey k);
/* Run the lesson command that waited for a cancelled job (from the loop,
 * once the job runner is idle). */
void app_lesson_run_pending(App *app);
/* Collect a finished job's result (from the loop). */
void app_collect_result(App *app);
/* Show a result (a finished job's or a saved one; the app owns it now):
 * the overlay, the message line, and its partition as the latest. */
void app_show_result(App *app, JobResult *r);
/* Training from the keys and commands (n, Space, :step, :run, :pause,
 * :epochs), each saying on the message line what it did: n more epochs
 * then pause, raising the epoch limit when they go past it; run (past the
 * limit: with none); pause; a new limit (0 = none, else past the last
 * epoch: ST_EINVAL). After a failed trainer they say nothing can train. */
void app_train_more(App *app, size_t n);
void app_train_run(App *app);
void app_train_pause(App *app);
Status app_set_epoch_limit(App *app, size_t n, char *msg);
/* 1 when the trainer waits at its epoch limit. */
int app_at_epoch_limit(App *app);
/* Load and apply a theme by name; errors go to msg. */
Status app_set_theme(App *app, const char *name, char *msg);

#endif
