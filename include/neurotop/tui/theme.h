#ifndef NEUROTOP_TUI_THEME_H
#define NEUROTOP_TUI_THEME_H

/* Semantic colour roles and themes.
 *
 * Widgets and panes never name a colour: they draw with a Role ("title",
 * "plot1", "heat5", ...). A Theme maps every role to a foreground, a
 * background and attributes. Themes are data files (themes/NAME.theme):
 *
 *     # comment
 *     color <role> <fg> <bg> [bold|dim|reverse|underline|normal ...]
 *
 * Colours: default black red green yellow blue magenta cyan white, their
 * bright variants (bright-red or brightred, 8..15) or a number 0..255.
 * A file only needs the roles it changes: parsing starts from the
 * compiled-in default theme. ROLE_LIST below is the one list of roles; its
 * columns are the role's enum name, file name, the default theme's fg, bg
 * and attributes, and the attributes of the monochrome picture. */

#include <stddef.h>

#include "neurotop/core/status.h"

/* Colour numbers (ncurses numbering); TC_DEFAULT is the terminal's own. */
#define TC_DEFAULT (-1)
#define TC_BLACK 0
#define TC_RED 1
#define TC_GREEN 2
#define TC_YELLOW 3
#define TC_BLUE 4
#define TC_MAGENTA 5
#define TC_CYAN 6
#define TC_WHITE 7
#define TC_BRIGHT 8 /* add to a basic colour: TC_BRIGHT + TC_RED */

/* Attribute bits. */
#define TA_NONE 0u
#define TA_BOLD 1u
#define TA_DIM 2u
#define TA_REVERSE 4u
#define TA_UNDERLINE 8u

/* X(enum, "file name", fg, bg, attrs, mono attrs) */
#define ROLE_LIST(X)                                                            \
    X(ROLE_DEFAULT, "default", TC_DEFAULT, TC_DEFAULT, TA_NONE, TA_NONE)        \
    X(ROLE_TITLE, "title", TC_CYAN, TC_DEFAULT, TA_BOLD, TA_BOLD)               \
    X(ROLE_BORDER, "border", TC_BLUE, TC_DEFAULT, TA_NONE, TA_NONE)             \
    X(ROLE_BORDER_FOCUS, "border_focus", TC_CYAN, TC_DEFAULT, TA_BOLD, TA_BOLD) \
    X(ROLE_LABEL, "label", TC_CYAN, TC_DEFAULT, TA_NONE, TA_NONE)               \
    X(ROLE_VALUE, "value", TC_DEFAULT, TC_DEFAULT, TA_BOLD, TA_BOLD)            \
    X(ROLE_AXIS, "axis", TC_BLUE, TC_DEFAULT, TA_NONE, TA_NONE)                 \
    X(ROLE_PLOT1, "plot1", TC_GREEN, TC_DEFAULT, TA_BOLD, TA_BOLD)              \
    X(ROLE_PLOT2, "plot2", TC_YELLOW, TC_DEFAULT, TA_NONE, TA_NONE)             \
    X(ROLE_PLOT3, "plot3", TC_MAGENTA, TC_DEFAULT, TA_NONE, TA_NONE)            \
    X(ROLE_PLOT4, "plot4", TC_CYAN, TC_DEFAULT, TA_NONE, TA_NONE)               \
    X(ROLE_BAND, "band", TC_BLUE, TC_DEFAULT, TA_NONE, TA_DIM)                  \
    X(ROLE_CURSOR, "cursor", TC_YELLOW, TC_DEFAULT, TA_BOLD, TA_REVERSE)        \
    X(ROLE_PHASE1, "phase1", TC_DEFAULT, 235, TA_NONE, TA_NONE)                 \
    X(ROLE_PHASE2, "phase2", TC_DEFAULT, 237, TA_NONE, TA_NONE)                 \
    X(ROLE_PHASE3, "phase3", TC_DEFAULT, 239, TA_NONE, TA_NONE)                 \
    X(ROLE_STATUS, "status", TC_BLACK, TC_CYAN, TA_NONE, TA_REVERSE)            \
    X(ROLE_STATUS_PAUSED, "status_paused", TC_BLACK, TC_YELLOW, TA_BOLD,        \
      TA_REVERSE | TA_BOLD)                                                     \
    X(ROLE_STATUS_RUNNING, "status_running", TC_BLACK, TC_GREEN, TA_BOLD,       \
      TA_REVERSE | TA_BOLD)                                                     \
    X(ROLE_CMDLINE, "cmdline", TC_DEFAULT, TC_DEFAULT, TA_NONE, TA_NONE)        \
    X(ROLE_HINT, "hint", TC_CYAN, TC_DEFAULT, TA_NONE, TA_DIM)                  \
    X(ROLE_HELP, "help", TC_DEFAULT, TC_DEFAULT, TA_NONE, TA_NONE)              \
    X(ROLE_ERROR, "error", TC_WHITE, TC_RED, TA_BOLD, TA_REVERSE | TA_BOLD)     \
    X(ROLE_WARNING, "warning", TC_YELLOW, TC_DEFAULT, TA_BOLD, TA_BOLD)         \
    X(ROLE_HIGHLIGHT, "highlight", TC_YELLOW, TC_DEFAULT, TA_BOLD, TA_BOLD)     \
    X(ROLE_SELECTION, "selection", TC_BLACK, TC_CYAN, TA_NONE, TA_REVERSE)      \
    X(ROLE_DIM, "dim", TC_DEFAULT, TC_DEFAULT, TA_DIM, TA_DIM)                  \
    X(ROLE_GOOD, "good", TC_GREEN, TC_DEFAULT, TA_NONE, TA_NONE)                \
    X(ROLE_BAD, "bad", TC_RED, TC_DEFAULT, TA_BOLD, TA_BOLD)                    \
    X(ROLE_PAST_MARKER, "past_marker", TC_BLACK, TC_MAGENTA, TA_BOLD,           \
      TA_REVERSE | TA_BOLD)                                                     \
    X(ROLE_PROGRESS, "progress", TC_GREEN, TC_DEFAULT, TA_NONE, TA_NONE)        \
    X(ROLE_HEAT0, "heat0", TC_BLUE, TC_DEFAULT, TA_NONE, TA_NONE)               \
    X(ROLE_HEAT1, "heat1", TC_BLUE, TC_DEFAULT, TA_BOLD, TA_NONE)               \
    X(ROLE_HEAT2, "heat2", TC_CYAN, TC_DEFAULT, TA_NONE, TA_NONE)               \
    X(ROLE_HEAT3, "heat3", TC_GREEN, TC_DEFAULT, TA_NONE, TA_NONE)              \
    X(ROLE_HEAT4, "heat4", TC_GREEN, TC_DEFAULT, TA_BOLD, TA_NONE)              \
    X(ROLE_HEAT5, "heat5", TC_YELLOW, TC_DEFAULT, TA_NONE, TA_NONE)             \
    X(ROLE_HEAT6, "heat6", TC_YELLOW, TC_DEFAULT, TA_BOLD, TA_NONE)             \
    X(ROLE_HEAT7, "heat7", TC_RED, TC_DEFAULT, TA_BOLD, TA_BOLD)                \
    X(ROLE_NEG1, "neg1", TC_BLUE, TC_DEFAULT, TA_NONE, TA_NONE)                 \
    X(ROLE_NEG2, "neg2", TC_BLUE, TC_DEFAULT, TA_BOLD, TA_NONE)                 \
    X(ROLE_NEG3, "neg3", TC_CYAN, TC_DEFAULT, TA_BOLD, TA_BOLD)                 \
    X(ROLE_POS1, "pos1", TC_RED, TC_DEFAULT, TA_NONE, TA_NONE)                  \
    X(ROLE_POS2, "pos2", TC_RED, TC_DEFAULT, TA_BOLD, TA_NONE)                  \
    X(ROLE_POS3, "pos3", TC_YELLOW, TC_DEFAULT, TA_BOLD, TA_BOLD)               \
    /* Ten classes (digits) that stay apart on 256 colours: blue, orange,      \
     * green, red, purple, brown, pink, grey, olive, cyan. */                   \
    X(ROLE_CLASS0, "class0", 33, TC_DEFAULT, TA_NONE, TA_NONE)                  \
    X(ROLE_CLASS1, "class1", 208, TC_DEFAULT, TA_NONE, TA_NONE)                 \
    X(ROLE_CLASS2, "class2", 40, TC_DEFAULT, TA_NONE, TA_NONE)                  \
    X(ROLE_CLASS3, "class3", 196, TC_DEFAULT, TA_NONE, TA_NONE)                 \
    X(ROLE_CLASS4, "class4", 135, TC_DEFAULT, TA_NONE, TA_NONE)                 \
    X(ROLE_CLASS5, "class5", 130, TC_DEFAULT, TA_NONE, TA_NONE)                 \
    X(ROLE_CLASS6, "class6", 205, TC_DEFAULT, TA_NONE, TA_NONE)                 \
    X(ROLE_CLASS7, "class7", 248, TC_DEFAULT, TA_NONE, TA_NONE)                 \
    X(ROLE_CLASS8, "class8", 184, TC_DEFAULT, TA_NONE, TA_NONE)                 \
    X(ROLE_CLASS9, "class9", 44, TC_DEFAULT, TA_NONE, TA_NONE)

typedef enum {
#define ROLE_ENUM(id, name, fg, bg, attrs, mono) id,
    ROLE_LIST(ROLE_ENUM)
#undef ROLE_ENUM
        ROLE_COUNT
} Role;

/* Ramps: ROLE_HEAT0 + level (0..ROLE_HEAT_LEVELS-1), ROLE_NEG1/POS1 + level
 * (0..ROLE_SIGN_LEVELS-1, weak to strong), ROLE_CLASS0 + class % 10,
 * ROLE_PLOT1 + series % 4. */
#define ROLE_HEAT_LEVELS 8
#define ROLE_SIGN_LEVELS 3
#define ROLE_CLASS_COUNT 10
#define ROLE_PLOT_COUNT 4

typedef struct {
    int fg;         /* TC_DEFAULT or 0..255 */
    int bg;         /* TC_DEFAULT or 0..255 */
    unsigned attrs; /* TA_* bits */
} ThemeStyle;

#define THEME_NAME_LEN 64
#define THEME_PATH_LEN 1024
#define THEME_MAX_DIRS 10

/* A theme is a plain value (about 1.7 KB): copy it, embed it. */
typedef struct {
    char name[THEME_NAME_LEN];  /* "default", "gruvbox-dark", ... */
    char path[THEME_PATH_LEN];  /* file it came from; "" when compiled in */
    int mono;                   /* 1: no colours, attributes only */
    ThemeStyle style[ROLE_COUNT];
} Theme;

/* File name of a role ("border_focus"); "?" for an invalid role. */
const char *theme_role_name(Role role);

/* Role from its file name; -1 when unknown. O(ROLE_COUNT). */
int theme_role_from_name(const char *name);

/* Colour number from a name or number as accepted in theme files
 * ("default" -> TC_DEFAULT, "bright-red" -> 9, "208" -> 208); returns 0 and
 * sets *out, or -1 when the word is not a colour. */
int theme_color_from_name(const char *word, int *out);

/* The compiled-in default theme (the ROLE_LIST columns). */
void theme_init_default(Theme *t);

/* The compiled-in monochrome theme: no colours, the ROLE_LIST mono
 * attributes. Identical to the shipped themes/mono.theme. */
void theme_init_mono(Theme *t);

/* Replace t by its monochrome picture (the compiled-in mono attributes),
 * keeping its name and path. Used when NO_COLOR is set or the terminal has
 * no colours: a colour theme's distinctions (green running, yellow paused)
 * would otherwise be lost. */
void theme_make_mono(Theme *t);

/* True when the NO_COLOR environment variable is set and non-empty
 * (https://no-color.org). */
int theme_no_color_env(void);

/* Apply the environment: theme_make_mono(t) when NO_COLOR is set or
 * has_colors is 0. Returns 1 when t is now monochrome. */
int theme_apply_env(Theme *t, int has_colors);

/* Parse theme text over the compiled-in default. `file` names the source in
 * messages ("themes/x.theme:12: unknown colour 'pruple'") and gives the
 * theme its path and name (file name without folder and ".theme"). t.mono
 * is 1 when no role has a colour. On error t is left unchanged and
 * ST_EFORMAT is returned. O(text length). */
Status theme_parse(const char *text, const char *file, Theme *t, char *msg);

/* Read and parse one file (at most 64 KB). ST_EIO when unreadable,
 * ST_EFORMAT when malformed. The theme's name is the file name without
 * folder and ".theme"; its path is `path`. */
Status theme_load_file(const char *path, Theme *t, char *msg);

/* The theme folders, in search order: ./themes,
 * $XDG_CONFIG_HOME/neurotop/themes (default ~/.config/neurotop/themes), then
 * the shipped themes/ folders of core/datadir.h ($NEUROTOP_DATADIR, an
 * installed prefix beside the binary, the source tree, PREFIX/share/neurotop).
 * Folders that cannot be named (no HOME, no /proc) are skipped. Returns how
 * many were written to dirs (at most THEME_MAX_DIRS). */
size_t theme_search_dirs(char dirs[][THEME_PATH_LEN], size_t max);

/* Load theme NAME: the first NAME.theme found in theme_search_dirs. A name
 * containing '/' is taken as a file path. When no file exists, "default"
 * and "mono" fall back to the compiled-in themes; other names give
 * ST_ENOTFOUND. A file that exists but is malformed is an error (never a
 * silent fallback). t is unchanged on error. */
Status theme_load_named(const char *name, Theme *t, char *msg);

/* Names of the available themes (for Tab completion): "default", "mono"
 * and every NAME.theme in the search folders, sorted, without duplicates.
 * Returns the count written (at most max). */
size_t theme_list_names(char names[][THEME_NAME_LEN], size_t max);

/* Nearest colour a terminal with `ncolors` colours can show: numbers below
 * ncolors are kept; 8..15 become 0..7 on 8-colour terminals; the 6x6x6
 * cube and the grey ramp (16..255) map to the nearest of the 8 or 16 basic
 * colours as a foreground, but to TC_DEFAULT as a background (background
 * is 1): a subtle dark tint must not turn into a black block on a light
 * terminal. TC_DEFAULT stays TC_DEFAULT. */
int theme_color_fallback(int color, int ncolors, int background);

#endif
