/* test_view.c - the live view: the layout compared with expected screens
 * (tests/view/NAME.txt), keys, the training run it drives, and `watch`.
 *
 * The expected screens are the layout's character grid as text.  After a
 * deliberate change to the layout, regenerate them with
 *
 *     NUDGE_BLESS=1 ./build/tests/test_view
 *
 * and read every changed file (git diff tests/view) before committing. */
#include "nudge/view.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assert_heap.h"
#include "assert_tensor.h"
#include "nudge/csv.h"
#include "nudge/format.h"
#include "nudge/interp.h"
#include "nudge/mem.h"
#include "nudge/rng.h"
#include "nudge/text.h"

/* --- scenes: a model trained some epochs, as the view would show it ------------- */

static const double book_x[12] = { 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1 };

typedef struct Scene {
    Interp *in;
    Value model;
    Tensor *X, *Y;
    Trainer t;
    Snapshot snap;
} Scene;

static void collect(void *ctx, const char *text, size_t len)
{
    Text *t = ctx;
    text_append(t, text, len);
}

/* Takes ownership of model, X and Y; batch 0 is full-batch training. */
static void scene_start_batch(Scene *s, Value model, Tensor *X, Tensor *Y, size_t epochs, double lr, size_t batch)
{
    s->in = interp_new(NULL, NULL);
    s->model = model;
    s->X = X;
    s->Y = Y;
    cr_assert(s->X && s->Y);
    LiveRequest req = { .model = &s->model, .name = model.kind == VALUE_MLP ? "net" : "p", .X = s->X, .Y = s->Y,
                        .epochs = epochs, .lr = lr };
    mlp_options_init(&req.opt);
    req.opt.batch = batch;
    req.opt.mean = batch != 0;
    Error e;
    cr_assert(trainer_init(&s->t, s->in, &req, &e), "%s", e.msg);
    snprintf(s->t.name, sizeof s->t.name, "%s", model.kind == VALUE_MLP ? "net" : "p");
    snapshot_init(&s->snap);
}

static void scene_start(Scene *s, Value model, Tensor *X, Tensor *Y, size_t epochs, double lr)
{
    scene_start_batch(s, model, X, Y, epochs, lr, 0);
}

static Value net_value(size_t n_in, size_t n_hidden, size_t n_out, bool bias, MlpOutput output)
{
    Value v;
    cr_assert(value_mlp(&v, NULL) && mlp_init(v.as.mlp, n_in, n_hidden, n_out, 1, bias, output, NULL));
    return v;
}

/* The chapter-7 network: mlp(3, 4, 1, seed=1) on XOR, lr = 1. */
static void scene_ch7(Scene *s, size_t epochs)
{
    static const double y[4] = { 0, 1, 1, 0 };
    scene_start(s, net_value(3, 4, 1, false, MLP_SIGMOID), tensor_from(2, 4, 3, book_x, NULL),
                tensor_from(2, 4, 1, y, NULL), epochs, 1);
}

/* perceptron(3) with lr 0.1 on the truth table given. */
static void scene_perceptron(Scene *s, const double *y, size_t epochs)
{
    Value v;
    Tensor *w = tensor_vector(3, NULL);
    cr_assert(w && value_perceptron(&v, NULL) && perceptron_init(v.as.perceptron, w, 0.1, NULL));
    tensor_delete(w);
    scene_start(s, v, tensor_from(2, 4, 3, book_x, NULL), tensor_from(1, 1, 4, y, NULL), epochs, 0.1);
}

/* A data set shipped in assets/data, as load_csv reads it. */
static Tensor *load_data(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/assets/data/%s", NUDGE_SOURCE_DIR, name);
    CsvOptions opt = { .auto_header = true };
    Error e;
    Tensor *t = csv_load(path, &opt, &e);
    cr_assert_not_null(t, "%s", e.msg);
    return t;
}

/* perceptron(3) on iris: petal length and width (cm) and a column of ones,
 * target 1 for setosa, which a line separates from the other two. */
static void scene_iris(Scene *s, size_t epochs)
{
    Tensor *D = load_data("iris.csv");
    size_t n = D->rows;
    Tensor *X = tensor_matrix(n, 3, NULL), *y = tensor_vector(n, NULL);
    cr_assert(n == 150 && X && y);
    for (size_t r = 0; r < n; r++) {
        X->data[r * 3] = D->data[r * D->cols + 2];
        X->data[r * 3 + 1] = D->data[r * D->cols + 3];
        X->data[r * 3 + 2] = 1;
        y->data[r] = D->data[r * D->cols + 4] == 0;
    }
    tensor_delete(D);
    Value v;
    Tensor *w = tensor_vector(3, NULL);
    cr_assert(w && value_perceptron(&v, NULL) && perceptron_init(v.as.perceptron, w, 0.1, NULL));
    tensor_delete(w);
    scene_start(s, v, X, y, epochs, 0.1);
}

/* The digits net of demo 09: 1500 of the 8x8 digits scaled to [0, 1]
 * and each pixel centred on its average, one-hot targets,
 * mlp(64, 32, 10, seed=1, bias=1, output="softmax"). */
static void scene_digits(Scene *s, size_t epochs, double lr, size_t batch)
{
    Tensor *D = load_data("digits.csv");
    size_t n = 1500;
    Tensor *X = tensor_matrix(n, 64, NULL), *Y = tensor_matrix(n, 10, NULL);
    cr_assert(D->rows == 1797 && D->cols == 65 && X && Y);
    for (size_t r = 0; r < n; r++) {
        for (size_t c = 0; c < 64; c++)
            X->data[r * 64 + c] = D->data[r * 65 + c] / 16;
        Y->data[r * 10 + (size_t)D->data[r * 65 + 64]] = 1;
    }
    for (size_t c = 0; c < 64; c++) {
        double mean = 0;
        for (size_t r = 0; r < n; r++)
            mean += X->data[r * 64 + c];
        mean /= (double)n;
        for (size_t r = 0; r < n; r++)
            X->data[r * 64 + c] -= mean;
    }
    tensor_delete(D);
    scene_start_batch(s, net_value(64, 32, 10, true, MLP_SOFTMAX), X, Y, epochs, lr, batch);
}

static void run(Scene *s, size_t n)
{
    size_t ran;
    Error e;
    cr_assert(trainer_run(&s->t, n, &ran, &e), "%s", e.msg);
}

/* Trains to `epochs` with a snapshot one epoch before (for the arrows),
 * then fills the status as the dashboard would. */
static void scene_at(Scene *s, size_t epochs, ViewState state)
{
    Error e;
    if (epochs > 0) {
        run(s, epochs - 1);
        cr_assert(snapshot_take(&s->snap, &s->t.work, s->X, s->Y, &e), "%s", e.msg);
        run(s, 1);
    }
    cr_assert(trainer_snapshot(&s->t, &s->snap, &e), "%s", e.msg);
    Snapshot *p = &s->snap;
    p->speed = s->t.work.kind == VALUE_MLP ? 200 : 2;
    p->state = state;
}

static void scene_end(Scene *s)
{
    snapshot_free(&s->snap);
    trainer_free(&s->t);
    value_free(&s->model);
    tensor_delete(s->X);
    tensor_delete(s->Y);
    interp_delete(s->in);
}

static int count_role(const Snapshot *s, int rows, int cols, Role role);

/* --- comparing screens ----------------------------------------------------------- */

static char *render(const Snapshot *s, int rows, int cols)
{
    Grid g;
    Error e;
    cr_assert(grid_init(&g, rows, cols, &e));
    view_draw(s, &g);
    char *text = grid_dump(&g, &e);
    grid_free(&g);
    cr_assert_not_null(text);
    return text;
}

/* Compares the layout of s at rows x cols with tests/view/NAME.txt (or
 * writes that file when NUDGE_BLESS is set). */
static void assert_screen(const Snapshot *s, int rows, int cols, const char *name)
{
    char *got = render(s, rows, cols);
    char path[512];
    snprintf(path, sizeof path, "%s/tests/view/%s.txt", NUDGE_SOURCE_DIR, name);
    const char *bless = getenv("NUDGE_BLESS");
    if (bless && *bless) {
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f, "cannot write %s", path);
        fputs(got, f);
        fclose(f);
        mem_free(got);
        return;
    }
    Error e;
    char *want = interp_read_file(path, "test", 1 << 20, &e);
    cr_assert_not_null(want, "%s (run with NUDGE_BLESS=1 to create it)", e.msg);
    if (strcmp(got, want)) {
        /* Show the first line that differs, then both screens. */
        const char *a = got, *b = want;
        int line = 1;
        while (*a && *a == *b) {
            if (*a == '\n')
                line++;
            a++;
            b++;
        }
        cr_assert_fail("%s differs from the layout at line %d\n--- expected ---\n%s--- got ---\n%s", path, line,
                       want, got);
    }
    mem_free(want);
    mem_free(got);
}

/* The same for a screen already rendered. */
static void assert_screen_text(const char *got, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/view/%s.txt", NUDGE_SOURCE_DIR, name);
    const char *bless = getenv("NUDGE_BLESS");
    if (bless && *bless) {
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f, "cannot write %s", path);
        fputs(got, f);
        fclose(f);
        return;
    }
    Error e;
    char *want = interp_read_file(path, "test", 1 << 20, &e);
    cr_assert_not_null(want, "%s (run with NUDGE_BLESS=1 to create it)", e.msg);
    cr_assert_str_eq(got, want, "%s differs from the layout\n--- expected ---\n%s--- got ---\n%s", path, want, got);
    mem_free(want);
}

static bool screen_has(const Snapshot *s, int rows, int cols, const char *needle)
{
    char *text = render(s, rows, cols);
    bool found = strstr(text, needle) != NULL;
    mem_free(text);
    return found;
}

/* --- expected screens ------------------------------------------------------------- */

static const double AND[4] = { 0, 0, 0, 1 };
static const double OR[4] = { 0, 1, 1, 1 };
static const double XOR[4] = { 0, 1, 1, 0 };

Test(view, chapter7_net_before_training)
{
    Scene s;
    scene_ch7(&s, 1000);
    scene_at(&s, 0, VIEW_STATE_RUNNING);
    assert_screen(&s.snap, 24, 80, "ch7_epoch0_80x24");
    assert_screen(&s.snap, 48, 160, "ch7_epoch0_160x48");
    scene_end(&s);
}

Test(view, chapter7_net_halfway_paused)
{
    Scene s;
    scene_ch7(&s, 1000);
    scene_at(&s, 400, VIEW_STATE_PAUSED);
    assert_screen(&s.snap, 24, 80, "ch7_epoch400_80x24");
    assert_screen(&s.snap, 48, 160, "ch7_epoch400_160x48");
    scene_end(&s);
}

Test(view, chapter7_net_trained_with_log_scale)
{
    Scene s;
    scene_ch7(&s, 1000);
    scene_at(&s, 1000, VIEW_STATE_DONE);
    s.snap.log_scale = true;
    s.snap.elapsed = 5.0;
    assert_screen(&s.snap, 24, 80, "ch7_done_log_80x24");
    assert_screen(&s.snap, 48, 160, "ch7_done_log_160x48");
    scene_end(&s);
}

Test(view, chapter7_net_in_colour_shades_with_blank_cells)
{
    Scene s;
    scene_ch7(&s, 1000);
    scene_at(&s, 1000, VIEW_STATE_DONE);
    s.snap.color = true;
    assert_screen(&s.snap, 24, 80, "ch7_done_colour_80x24");
    scene_end(&s);
}

Test(view, a_net_with_biases_shows_them_under_their_weights)
{
    static const double y[4] = { 0, 1, 1, 0 };
    Scene s;
    scene_start(&s, net_value(3, 4, 1, true, MLP_SIGMOID), tensor_from(2, 4, 3, book_x, NULL),
                tensor_from(2, 4, 1, y, NULL), 1000, 1);
    scene_at(&s, 300, VIEW_STATE_RUNNING);
    assert_screen(&s.snap, 24, 80, "bias_epoch300_80x24");
    scene_end(&s);
}

/* Four inputs and three classes (iris-like): no plane, class predictions. */
Test(view, a_softmax_net_on_four_inputs_has_no_plane)
{
    static const double x[24] = { 5.1, 3.5, 1.4, 0.2, 4.9, 3.0, 1.4, 0.2, 7.0, 3.2, 4.7, 1.4,
                                  6.4, 3.2, 4.5, 1.5, 6.3, 3.3, 6.0, 2.5, 5.8, 2.7, 5.1, 1.9 };
    static const double y[18] = { 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1 };
    Scene s;
    scene_start(&s, net_value(4, 5, 3, true, MLP_SOFTMAX), tensor_from(2, 6, 4, x, NULL),
                tensor_from(2, 6, 3, y, NULL), 500, 0.1);
    scene_at(&s, 200, VIEW_STATE_RUNNING);
    assert_screen(&s.snap, 24, 80, "softmax_epoch200_80x24");
    assert_screen(&s.snap, 48, 160, "softmax_epoch200_160x48");
    cr_assert(!screen_has(&s.snap, 24, 80, "output over"));
    scene_end(&s);
}

Test(view, perceptron_and_turns_its_boundary_until_it_separates)
{
    size_t epochs[] = { 1, 3, 6 };
    for (size_t i = 0; i < 3; i++) {
        Scene s;
        scene_perceptron(&s, AND, 50);
        scene_at(&s, epochs[i], epochs[i] == 6 ? VIEW_STATE_CONVERGED : VIEW_STATE_RUNNING);
        char name[64];
        snprintf(name, sizeof name, "and_epoch%zu_80x24", epochs[i]);
        assert_screen(&s.snap, 24, 80, name);
        snprintf(name, sizeof name, "and_epoch%zu_160x48", epochs[i]);
        assert_screen(&s.snap, 48, 160, name);
        if (epochs[i] == 6)
            cr_assert(s.t.converged);
        scene_end(&s);
    }
}

Test(view, perceptron_steps_one_example_at_a_time)
{
    Scene s;
    scene_perceptron(&s, AND, 50);
    run(&s, 2);
    Error e;
    cr_assert(snapshot_take(&s.snap, &s.t.work, s.X, s.Y, &e));
    cr_assert(trainer_step(&s.t, &e));
    cr_assert(trainer_step(&s.t, &e));
    cr_assert_eq(s.t.epoch, 2, "two examples into the third epoch");
    cr_assert_eq(s.t.row, 2);
    cr_assert_eq(s.t.last_row, 1);
    scene_at(&s, 0, VIEW_STATE_PAUSED);
    assert_screen(&s.snap, 24, 80, "and_epoch2_example2_80x24");
    assert_screen(&s.snap, 48, 160, "and_epoch2_example2_160x48");
    cr_assert_eq(count_role(&s.snap, 24, 80, ROLE_POINT_ACTIVE), 1);
    /* The rest of the epoch, then the same weights as train() after 3. */
    run(&s, 1);
    cr_assert_eq(s.t.epoch, 3);
    cr_assert_eq(s.t.row, 0);
    Perceptron ref;
    Tensor *w0 = tensor_vector(3, NULL);
    cr_assert(perceptron_init(&ref, w0, 0.1, NULL));
    PerceptronReport rep;
    cr_assert(perceptron_train(&ref, s.X, s.Y, 3, NULL, NULL, &rep, NULL));
    assert_tensor_near(s.t.work.as.perceptron->w, 1, 1, 3, ref.w->data, 0);
    cr_assert_eq(s.t.last_mistakes, rep.last_mistakes);
    perceptron_free(&ref);
    tensor_delete(w0);
    scene_end(&s);
}

Test(view, perceptron_or_converges)
{
    Scene s;
    scene_perceptron(&s, OR, 50);
    scene_at(&s, 2, VIEW_STATE_RUNNING);
    assert_screen(&s.snap, 24, 80, "or_epoch2_80x24");
    run(&s, 50);
    cr_assert(s.t.converged);
    scene_at(&s, 0, VIEW_STATE_CONVERGED);
    assert_screen(&s.snap, 48, 160, "or_converged_160x48");
    scene_end(&s);
}

Test(view, perceptron_xor_never_settles)
{
    Scene s;
    scene_perceptron(&s, XOR, 50);
    scene_at(&s, 4, VIEW_STATE_RUNNING);
    assert_screen(&s.snap, 24, 80, "xor_epoch4_80x24");
    run(&s, 50);
    cr_assert(!s.t.converged);
    cr_assert_eq(s.t.epoch, 50);
    scene_at(&s, 0, VIEW_STATE_DONE);
    assert_screen(&s.snap, 24, 80, "xor_epoch50_80x24");
    assert_screen(&s.snap, 48, 160, "xor_epoch50_160x48");
    scene_end(&s);
}

/* 150 flowers in centimetres, many in the same cell: the plane spans the
 * data (not [0, 1]) and the boundary runs between setosa and the rest. */
Test(view, perceptron_separates_setosa_on_two_iris_features)
{
    Scene s;
    scene_iris(&s, 50);
    run(&s, 50);
    cr_assert(s.t.converged);
    scene_at(&s, 0, VIEW_STATE_CONVERGED);
    s.snap.current = SIZE_MAX;
    assert_screen(&s.snap, 24, 80, "iris_converged_80x24");
    assert_screen(&s.snap, 48, 160, "iris_converged_160x48");
    cr_assert(screen_has(&s.snap, 24, 80, "acc now 100%"));
    cr_assert(screen_has(&s.snap, 24, 80, "predictions: 150 of 150 right"));
    scene_end(&s);
}

/* The digits net part-way: the status line carries the accuracy on the
 * training rows, which the loss alone does not show. */
Test(view, a_digits_net_shows_its_accuracy_in_the_status_line)
{
    Scene s;
    scene_digits(&s, 100, 0.5, 32);
    scene_at(&s, 10, VIEW_STATE_RUNNING);
    s.snap.elapsed = 0.25;
    assert_screen(&s.snap, 24, 80, "digits_epoch10_80x24");
    assert_screen(&s.snap, 48, 160, "digits_epoch10_160x48");
    char acc[32];
    snapshot_accuracy(&s.snap, acc, sizeof acc);
    size_t right = 0;
    for (size_t r = 0; r < 1500; r++) {
        const double *out = s.snap.out + r * 10, *y = s.Y->data + r * 10;
        size_t got = 0, want = 0;
        for (size_t k = 1; k < 10; k++) {
            got = out[k] > out[got] ? k : got;
            want = y[k] > y[want] ? k : want;
        }
        right += got == want;
    }
    cr_assert_eq(s.snap.nright, right);
    char want[32];
    snprintf(want, sizeof want, "%.1f%%", floor((double)right * 1000.0 / 1500) / 10);
    cr_assert_str_eq(acc, want);
    char line[48];
    snprintf(line, sizeof line, "acc %s", acc);
    cr_assert(screen_has(&s.snap, 24, 80, line), "%s", line);
    scene_end(&s);
}

/* The status line shows an accuracy exactly when train()'s record has
 * one: for targets that are classes (a perceptron's, 0/1 targets of one
 * output, one-hot rows), counted by the rule the record counts by. */
Test(view, accuracy_is_shown_only_for_classes)
{
    Scene s;
    scene_ch7(&s, 1000);
    scene_at(&s, 100, VIEW_STATE_RUNNING);
    cr_assert(s.snap.has_accuracy, "one sigmoid output on 0/1 targets: classes, as the record says");
    cr_assert(train_history_has(&s.t.history, TRAIN_ACCURACY));
    char acc[32], want[48];
    snapshot_accuracy(&s.snap, acc, sizeof acc);
    snprintf(want, sizeof want, "acc %s", acc);
    cr_assert(screen_has(&s.snap, 24, 80, want), "%s", want);
    cr_assert_eq(s.snap.nright, (size_t)lround(s.t.history.v[TRAIN_ACCURACY][99] * 4));
    scene_end(&s);
    /* Targets that are not classes: a loss and no accuracy. */
    static const double y[4] = { 0.1, 0.9, 0.8, 0.3 };
    scene_start(&s, net_value(3, 4, 1, false, MLP_SIGMOID), tensor_from(2, 4, 3, book_x, NULL),
                tensor_from(2, 4, 1, y, NULL), 1000, 1);
    scene_at(&s, 10, VIEW_STATE_RUNNING);
    cr_assert(!s.snap.has_accuracy);
    cr_assert(!screen_has(&s.snap, 48, 160, "acc "));
    cr_assert_str_eq(snapshot_accuracy(&s.snap, acc, sizeof acc), "");
    scene_end(&s);
    scene_perceptron(&s, AND, 50);
    scene_at(&s, 1, VIEW_STATE_RUNNING);
    cr_assert(s.snap.has_accuracy);
    cr_assert_str_eq(snapshot_accuracy(&s.snap, acc, sizeof acc), "25.0%");
    cr_assert(screen_has(&s.snap, 24, 80, "mistakes/epoch 1  acc now 25.0%"));
    scene_end(&s);
}

Test(view, a_small_terminal_gets_a_too_small_screen)
{
    Scene s;
    scene_ch7(&s, 1000);
    scene_at(&s, 10, VIEW_STATE_RUNNING);
    assert_screen(&s.snap, 12, 40, "too_small_40x12");
    cr_assert(!screen_has(&s.snap, VIEW_MIN_ROWS, VIEW_MIN_COLS, "too small"));
    scene_end(&s);
}

/* --- what the screens say -------------------------------------------------------- */

static int count_role(const Snapshot *s, int rows, int cols, Role role)
{
    Grid g;
    cr_assert(grid_init(&g, rows, cols, NULL));
    view_draw(s, &g);
    int n = 0;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            n += grid_at(&g, r, c)->role == role;
    grid_free(&g);
    return n;
}

Test(view, status_line_names_model_epoch_loss_lr_speed_and_state)
{
    Scene s;
    scene_ch7(&s, 1000);
    scene_at(&s, 400, VIEW_STATE_PAUSED);
    char *text = render(&s.snap, 24, 120);
    char *nl = strchr(text, '\n');
    *nl = '\0';
    cr_assert(strstr(text, "net · mlp 3→4→1"), "%s", text);
    cr_assert(strstr(text, "epoch  400/1000"), "%s", text);
    cr_assert(strstr(text, "loss 0.2676"), "%s", text);
    cr_assert(strstr(text, "lr 1"), "%s", text);
    cr_assert(strstr(text, "speed 200/s"), "%s", text);
    cr_assert(strstr(text, "paused"), "%s", text);
    mem_free(text);
    s.snap.speed = INFINITY;
    cr_assert(screen_has(&s.snap, 24, 120, "speed max"));
    scene_end(&s);
}

Test(view, weights_are_coloured_by_sign_with_arrows_for_the_last_change)
{
    Scene s;
    scene_ch7(&s, 1000);
    scene_at(&s, 400, VIEW_STATE_RUNNING);
    cr_assert_gt(count_role(&s.snap, 24, 80, ROLE_NEG1) + count_role(&s.snap, 24, 80, ROLE_NEG2)
                     + count_role(&s.snap, 24, 80, ROLE_NEG3), 0);
    cr_assert_gt(count_role(&s.snap, 24, 80, ROLE_POS3), 0);
    /* Every weight moved in the last step, so each has an arrow, and the
     * arrow agrees with the change. */
    cr_assert_eq(count_role(&s.snap, 24, 80, ROLE_UP) + count_role(&s.snap, 24, 80, ROLE_DOWN), 16);
    double before = s.snap.m[0].v[0];
    Error e;
    run(&s, 1);
    cr_assert(snapshot_take(&s.snap, &s.t.work, s.X, s.Y, &e));
    double after = s.snap.m[0].v[0];
    cr_assert_eq(s.snap.m[0].dir[0], after > before ? 1 : -1);
    snapshot_forget_changes(&s.snap);
    cr_assert_eq(count_role(&s.snap, 24, 80, ROLE_UP) + count_role(&s.snap, 24, 80, ROLE_DOWN), 0);
    scene_end(&s);
}

Test(view, plane_shows_every_data_point_and_the_boundary)
{
    Scene s;
    scene_perceptron(&s, AND, 50);
    scene_at(&s, 6, VIEW_STATE_CONVERGED);
    cr_assert_eq(s.snap.current, 3, "the last example learned is marked");
    s.snap.current = SIZE_MAX;
    for (int big = 0; big < 2; big++) {
        int rows = big ? 48 : 24, cols = big ? 160 : 80;
        cr_assert_eq(count_role(&s.snap, rows, cols, ROLE_POINT_POS), 1);
        cr_assert_eq(count_role(&s.snap, rows, cols, ROLE_POINT_NEG), 3);
        cr_assert_gt(count_role(&s.snap, rows, cols, ROLE_BOUNDARY_NEG) + count_role(&s.snap, rows, cols, ROLE_BOUNDARY_POS), 3);
    }
    cr_assert(screen_has(&s.snap, 24, 80, "w·x = 0.2·x1 + 0.1·x2 - 0.2"));
    cr_assert(screen_has(&s.snap, 24, 80, "predictions: 4 of 4 right"));
    scene_end(&s);
}

Test(view, a_zero_weight_vector_has_no_boundary_yet)
{
    Scene s;
    scene_perceptron(&s, AND, 50);
    scene_at(&s, 0, VIEW_STATE_RUNNING);
    cr_assert_eq(count_role(&s.snap, 24, 80, ROLE_BOUNDARY_NEG) + count_role(&s.snap, 24, 80, ROLE_BOUNDARY_POS), 0);
    cr_assert(screen_has(&s.snap, 24, 80, "w·x = 0"));
    scene_end(&s);
}

Test(view, log_scale_is_named_in_the_loss_panel)
{
    Scene s;
    scene_ch7(&s, 1000);
    scene_at(&s, 300, VIEW_STATE_RUNNING);
    cr_assert(!screen_has(&s.snap, 24, 80, "log scale"));
    s.snap.log_scale = true;
    cr_assert(screen_has(&s.snap, 24, 80, "log scale"));
    cr_assert(screen_has(&s.snap, 24, 80, "epoch 300"));
    scene_end(&s);
}

Test(view, key_help_follows_the_state)
{
    Scene s;
    scene_ch7(&s, 1000);
    scene_at(&s, 10, VIEW_STATE_RUNNING);
    cr_assert(screen_has(&s.snap, 24, 80, "space pause"));
    s.snap.state = VIEW_STATE_PAUSED;
    cr_assert(screen_has(&s.snap, 24, 80, "space resume"));
    s.snap.state = VIEW_STATE_DONE;
    cr_assert(screen_has(&s.snap, 24, 80, "any key back to the prompt"));
    scene_end(&s);
}

/* --- the grid ---------------------------------------------------------------------- */

Test(view, grid_writes_utf8_one_column_per_character_and_clips)
{
    Grid g;
    cr_assert(grid_init(&g, 2, 6, NULL));
    cr_assert_eq(grid_put(&g, 0, 0, ROLE_TEXT, "σ→x"), 3);
    cr_assert_eq(grid_at(&g, 0, 0)->ch, 0x3C3u);
    cr_assert_eq(grid_at(&g, 0, 1)->ch, 0x2192u);
    grid_put(&g, 1, 3, ROLE_DIM, "abcdef");
    cr_assert_eq(grid_at(&g, 1, 5)->ch, (uint32_t)'c');
    char *text = grid_dump(&g, NULL);
    cr_assert_str_eq(text, "σ→x\n   abc\n");
    mem_free(text);
    grid_free(&g);
    cr_assert_null(g.cells);
}

/* --- keys ------------------------------------------------------------------------- */

Test(view, keys_map_to_actions)
{
    cr_assert_eq(view_key(' '), VIEW_ACT_PAUSE);
    cr_assert_eq(view_key('n'), VIEW_ACT_STEP);
    cr_assert_eq(view_key(VIEW_KEY_RIGHT), VIEW_ACT_STEP);
    cr_assert_eq(view_key('+'), VIEW_ACT_FASTER);
    cr_assert_eq(view_key('-'), VIEW_ACT_SLOWER);
    cr_assert_eq(view_key('['), VIEW_ACT_LR_DOWN);
    cr_assert_eq(view_key(']'), VIEW_ACT_LR_UP);
    cr_assert_eq(view_key('r'), VIEW_ACT_RESTART);
    cr_assert_eq(view_key('l'), VIEW_ACT_LOG);
    cr_assert_eq(view_key('q'), VIEW_ACT_QUIT);
    cr_assert_eq(view_key(3), VIEW_ACT_INTERRUPT);
    cr_assert_eq(view_key(VIEW_KEY_RESIZE), VIEW_ACT_RESIZE);
    cr_assert_eq(view_key('x'), VIEW_ACT_OTHER);
    cr_assert_eq(view_key(-1), 0u);
}

Test(view, speed_and_learning_rate_step_along_one_two_five)
{
    assert_near(view_ladder(1, true), 2, 1e-12);
    assert_near(view_ladder(2, true), 5, 1e-12);
    assert_near(view_ladder(5, true), 10, 1e-12);
    assert_near(view_ladder(200, true), 500, 1e-9);
    assert_near(view_ladder(200, false), 100, 1e-9);
    assert_near(view_ladder(300, true), 500, 1e-9);
    assert_near(view_ladder(300, false), 200, 1e-9);
    assert_near(view_ladder(0.1, false), 0.05, 1e-15);
    assert_near(view_ladder(1, false), 0.5, 1e-15);
}

/* --- the training run ---------------------------------------------------------- */

Test(view, trainer_matches_train_and_writes_the_weights_back)
{
    Scene s;
    scene_ch7(&s, 1000);
    run(&s, 1000);
    cr_assert(trainer_finished(&s.t));
    cr_assert_eq(interp_nlosses(s.in), 1000);
    /* The same numbers as mlp_train, bit for bit. */
    Mlp ref;
    cr_assert(mlp_init(&ref, 3, 4, 1, 1, false, MLP_SIGMOID, NULL));
    MlpTrainReport rep;
    cr_assert(mlp_train(&ref, s.X, s.Y, 1000, 1, NULL, NULL, &rep, NULL));
    cr_assert_eq(s.t.last_loss, rep.last_loss);
    cr_assert_eq(s.t.first_loss, rep.first_loss);
    /* The run's history is train()'s record: the loss after each epoch. */
    cr_assert_eq(s.t.history.n, 1000);
    cr_assert_eq(s.t.history.steps, 1000);
    cr_assert_eq(s.t.history.v[TRAIN_LOSS][999], rep.last_loss);
    cr_assert_eq(s.t.history.v[TRAIN_LOSS][499], interp_losses(s.in, &(size_t){0})[499]);
    cr_assert(train_history_has(&s.t.history, TRAIN_ACCURACY));
    cr_assert_neq(s.model.as.mlp->W2->data[0], ref.W2->data[0]);   /* not yet written back */
    trainer_commit(&s.t);
    assert_tensor_near(s.model.as.mlp->W2, 2, 4, 1, ref.W2->data, 0);
    assert_tensor_near(s.model.as.mlp->W1, 2, 3, 4, ref.W1->data, 0);
    char *sum = trainer_summary(&s.t, TRAINER_FINISHED, NULL);
    cr_assert(strstr(sum, "trained 1000 epochs at lr = 1: cost"), "%s", sum);
    mem_free(sum);
    mlp_free(&ref);
    scene_end(&s);
}

/* Mini-batch epochs one at a time, as the view runs them, shuffle the
 * order the last epoch left (not the rows in order again), so they end
 * with train(..., batch=)'s weights; a restart repeats the same run. */
Test(view, minibatch_epochs_end_where_train_does_and_restart_repeats_them)
{
    static const double y[4] = { 0, 1, 1, 0 };
    Scene s;
    scene_start_batch(&s, net_value(3, 4, 1, false, MLP_SIGMOID), tensor_from(2, 4, 3, book_x, NULL),
                      tensor_from(2, 4, 1, y, NULL), 30, 1, 3);
    Rng rng = *interp_rng(s.in);
    run(&s, 30);
    Mlp ref;
    cr_assert(mlp_init(&ref, 3, 4, 1, 1, false, MLP_SIGMOID, NULL));
    MlpTrainReport rep;
    MlpOptions o;
    mlp_options_init(&o);
    o.epochs = 30;
    o.batch = 3;
    o.mean = true;
    cr_assert(mlp_fit(&ref, s.X, s.Y, NULL, NULL, &o, &rng, NULL, NULL, &rep, NULL));
    assert_tensor_near(s.t.work.as.mlp->W1, 2, 3, 4, ref.W1->data, 0);
    assert_tensor_near(s.t.work.as.mlp->W2, 2, 4, 1, ref.W2->data, 0);
    cr_assert_eq(s.t.first_loss, rep.first_loss);
    cr_assert_eq(s.t.last_loss, rep.last_loss);
    cr_assert(!memcmp(interp_rng(s.in), &rng, sizeof rng), "the random state moved as train()'s did");
    trainer_restart(&s.t);
    run(&s, 30);
    assert_tensor_near(s.t.work.as.mlp->W1, 2, 3, 4, ref.W1->data, 0);
    cr_assert(!memcmp(interp_rng(s.in), &rng, sizeof rng));
    mlp_free(&ref);
    scene_end(&s);
}

Test(view, restart_goes_back_to_the_initial_weights)
{
    Scene s;
    scene_ch7(&s, 1000);
    double w0 = s.t.work.as.mlp->W1->data[0];
    run(&s, 25);
    cr_assert_neq(s.t.work.as.mlp->W1->data[0], w0);
    trainer_set_lr(&s.t, 0.5);
    run(&s, 2);
    /* An lr changed by key is the lr of the epochs after it. */
    cr_assert_eq(s.t.history.v[TRAIN_LR][24], 1);
    cr_assert_eq(s.t.history.v[TRAIN_LR][25], 0.5);
    trainer_restart(&s.t);
    cr_assert_eq(s.t.work.as.mlp->W1->data[0], w0);
    cr_assert_eq(s.t.epoch, 0);
    cr_assert_eq(s.t.history.n, 0);
    cr_assert_eq(interp_nlosses(s.in), 0);
    assert_near(s.t.lr, 0.5, 0);
    scene_end(&s);
}

Test(view, stopping_early_says_so_and_keeps_the_weights)
{
    Scene s;
    scene_ch7(&s, 1000);
    run(&s, 10);
    trainer_commit(&s.t);
    char *sum = trainer_summary(&s.t, TRAINER_INTERRUPTED, NULL);
    cr_assert(strstr(sum, "stopped by Ctrl-C after 10 of 1000 epochs"), "%s", sum);
    mem_free(sum);
    sum = trainer_summary(&s.t, TRAINER_QUIT, NULL);
    cr_assert(strstr(sum, "stopped after 10 of 1000 epochs"), "%s", sum);
    mem_free(sum);
    scene_end(&s);
}

Test(view, perceptron_run_converges_like_train)
{
    Scene s;
    scene_perceptron(&s, AND, 50);
    run(&s, 50);
    cr_assert(s.t.converged);
    cr_assert_eq(s.t.epoch, 6);
    cr_assert_eq(s.t.updates, 10);
    trainer_commit(&s.t);
    assert_tensor_near(s.model.as.perceptron->w, 1, 1, 3, ((double[]){ 0.2, 0.1, -0.2 }), 1e-12);
    char *sum = trainer_summary(&s.t, TRAINER_FINISHED, NULL);
    cr_assert_str_eq(sum, "converged after 6 epochs (10 updates): every example is on the right side\n"
                          "w = [0.2, 0.1, -0.2]\n");
    mem_free(sum);
    scene_end(&s);
}

/* --- watch, through the interpreter (plain backend: no terminal here) ----------- */

static bool run_text(Interp *in, const char *src, Error *e)
{
    return interp_run(in, src, e);
}

Test(view, watch_prints_progress_lines_and_trains_the_variable)
{
    Interp *in;
    Text out = {0};
    in = interp_new(collect, &out);
    view_install_headless(in);
    Error e;
    cr_assert(run_text(in, "x = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; y = [[0],[1],[1],[0]]; net = mlp(3, 4, 1, seed=1);", &e),
              "%s", e.msg);
    cr_assert(run_text(in, "watch train(net, x, y, epochs=1000, lr=1)", &e), "%s", e.msg);
    cr_assert(strstr(out.s, "epoch 100/1000  loss 0.4984  acc 50.0%\n"), "%s", out.s);
    cr_assert(strstr(out.s, "epoch 1000/1000  loss 0.0101  acc 100%\n"), "%s", out.s);
    cr_assert(strstr(out.s, "trained 1000 epochs at lr = 1: cost 0.6559 → 0.0101\n"), "%s", out.s);
    int lines = 0;
    for (const char *p = out.s; (p = strstr(p, "epoch ")); p++)
        lines++;
    cr_assert_eq(lines, 10);
    cr_assert_eq(interp_nlosses(in), 1000);
    cr_assert(!interp_live_default(in), "watch restores the live flag");
    Value *net = interp_get(in, "net");
    cr_assert(net && net->kind == VALUE_MLP);
    assert_near(net->as.mlp->W2->data[1], 9.1699, 1e-4);
    text_free(&out);
    interp_delete(in);
}

Test(view, train_live_uses_the_view_too)
{
    Interp *in;
    Text out = {0};
    in = interp_new(collect, &out);
    view_install_headless(in);
    Error e;
    cr_assert(run_text(in, "X = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; p = perceptron(3);", &e), "%s", e.msg);
    cr_assert(run_text(in, "train(p, X, [0, 1, 1, 0], epochs=20, live=1)", &e), "%s", e.msg);
    cr_assert(strstr(out.s, "epoch 2/20  mistakes"), "%s", out.s);
    cr_assert(strstr(out.s, "no convergence in 20 epochs"), "%s", out.s);
    text_free(&out);
    interp_delete(in);
}

Test(view, watch_refuses_a_statement_that_trains_nothing)
{
    Interp *in;
    Text out = {0};
    in = interp_new(collect, &out);
    view_install_headless(in);
    Error e;
    cr_assert(!run_text(in, "watch a = 1 + 1", &e));
    cr_assert(strstr(e.msg, "trains nothing"), "%s", e.msg);
    cr_assert_null(interp_get(in, "a"), "nothing ran");
    cr_assert(!run_text(in, "watch", &e));
    cr_assert(strstr(e.msg, "watch what?"), "%s", e.msg);
    /* A function that could train but does not. */
    cr_assert(run_text(in, "f = @(n) n + 1;", &e), "%s", e.msg);
    cr_assert(!run_text(in, "watch f(1)", &e));
    cr_assert(strstr(e.msg, "trained nothing"), "%s", e.msg);
    cr_assert(!interp_live_default(in));
    text_free(&out);
    interp_delete(in);
}

Test(view, an_error_inside_watch_points_into_the_statement)
{
    Interp *in;
    Text out = {0};
    in = interp_new(collect, &out);
    view_install_headless(in);
    Error e;
    cr_assert(!run_text(in, "watch train(nothere, 1, 2)", &e));
    cr_assert(strstr(e.msg, "nothere"), "%s", e.msg);
    cr_assert_eq(e.col, 13);
    text_free(&out);
    interp_delete(in);
}

/* Every allocation the view makes may fail: the statement then fails with
 * "out of memory" and the model keeps its weights; nothing crashes or
 * leaks (assert_heap.h counts the heap in every build). */
Test(view, running_out_of_memory_fails_cleanly_and_changes_nothing)
{
    const char *setups[2] = { "x = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; y = [[0],[1],[1],[0]]; m = mlp(3, 4, 1, seed=1);",
                              "x = [[0,0,1],[0,1,1],[1,0,1],[1,1,1]]; y = [0, 0, 0, 1]; m = perceptron(3);" };
    for (int which = 0; which < 2; which++) {
        /* How many allocations a run makes when none fails. */
        long total;
        {
            Interp *in;
            Text out = {0};
            in = interp_new(collect, &out);
            view_install_headless(in);
            Error e;
            cr_assert(run_text(in, setups[which], &e), "%s", e.msg);
            long before = mem_count();
            cr_assert(run_text(in, "watch train(m, x, y, epochs=30)", &e), "%s", e.msg);
            total = mem_count() - before;
            text_free(&out);
            interp_delete(in);
        }
        size_t heap = heap_in_use();
        bool finished = false;
        for (long k = 0; k <= total; k++) {
            Interp *in;
            Text out = {0};
            in = interp_new(collect, &out);
            view_install_headless(in);
            Error e;
            cr_assert(run_text(in, setups[which], &e), "%s", e.msg);
            Value before;
            cr_assert(value_copy(&before, interp_get(in, "m"), &e));
            mem_fail_after(k);
            bool ok = run_text(in, "watch train(m, x, y, epochs=30)", &e);
            mem_fail_after(-1);
            const Value *m = interp_get(in, "m");
            const Tensor *w = which ? m->as.perceptron->w : m->as.mlp->W2;
            const Tensor *w0 = which ? before.as.perceptron->w : before.as.mlp->W2;
            if (ok) {
                finished = k == total;
                cr_assert(memcmp(w->data, w0->data, tensor_size(w) * sizeof(double)), "trained, k = %ld", k);
            } else {
                cr_assert(strstr(e.msg, "out of memory"), "k = %ld: %s", k, e.msg);
                cr_assert(!memcmp(w->data, w0->data, tensor_size(w) * sizeof(double)), "k = %ld changed m", k);
            }
            cr_assert(!interp_live_default(in));
            value_free(&before);
            text_free(&out);
            interp_delete(in);
        }
        cr_assert(finished, "the run with every allocation succeeding failed");
        assert_heap_back_to(heap);
    }
}

/* --- the plane keeps its place ---------------------------------------------------- */

/* XOR with a bias column, mlp(3, H, 1, bias=...) or 2-D inputs without
 * one: at 80x24 and 120x40 the plane is on screen for every hidden size
 * from 2 to 64, with all four points, while the weights make do (a
 * heatmap, scrolling) and the status line says what is out of sight. */
Test(view, the_plane_stays_for_every_hidden_size)
{
    static const double y[4] = { 0, 1, 1, 0 };
    static const double x2[8] = { 0, 0, 0, 1, 1, 0, 1, 1 };
    static const int sizes[2][2] = { { 24, 80 }, { 40, 120 } };
    for (int with_bias_column = 0; with_bias_column < 2; with_bias_column++)
        for (size_t h = 2; h <= 64; h++) {
            Scene s;
            Tensor *X = with_bias_column ? tensor_from(2, 4, 3, book_x, NULL) : tensor_from(2, 4, 2, x2, NULL);
            scene_start(&s, net_value(with_bias_column ? 3 : 2, h, 1, !with_bias_column, MLP_SIGMOID), X,
                        tensor_from(2, 4, 1, y, NULL), 100, 1);
            scene_at(&s, 3, VIEW_STATE_RUNNING);
            for (int k = 0; k < 2; k++) {
                int rows = sizes[k][0], cols = sizes[k][1];
                char *text = render(&s.snap, rows, cols);
                const char *dump = getenv("NUDGE_VIEW_DUMP");
                if (dump && (size_t)atoi(dump) == h)
                    fprintf(stderr, "%s", text);
                cr_assert(strstr(text, "output over (x1, x2)"), "hidden %zu at %dx%d:\n%s", h, cols, rows, text);
                cr_assert_eq(count_role(&s.snap, rows, cols, ROLE_POINT_POS), 2, "hidden %zu at %dx%d", h, cols, rows);
                cr_assert_eq(count_role(&s.snap, rows, cols, ROLE_POINT_NEG), 2, "hidden %zu at %dx%d", h, cols, rows);
                cr_assert(strstr(text, "predictions:"), "hidden %zu at %dx%d:\n%s", h, cols, rows, text);
                cr_assert(strstr(text, "loss (cost"), "hidden %zu at %dx%d:\n%s", h, cols, rows, text);
                Grid g;
                ViewFacts f;
                cr_assert(grid_init(&g, rows, cols, NULL));
                view_draw_facts(&s.snap, &g, &f);
                grid_free(&g);
                if (f.weight_lines > f.weight_rows)
                    cr_assert(strstr(text, "↓"), "hidden %zu at %dx%d: weights out of sight unsaid\n%s", h, cols,
                              rows, text);
                mem_free(text);
            }
            scene_end(&s);
        }
}

/* --- lr by key, held-out data, deeper nets ----------------------------------------- */

/* ] raises lr: the status line shows where it came from, the summary and
 * the record (the history's lr per epoch) say from which epoch. */
Test(view, an_lr_changed_by_key_shows_in_status_summary_and_record)
{
    Scene s;
    scene_ch7(&s, 1000);
    run(&s, 25);
    trainer_set_lr(&s.t, view_ladder(s.t.lr, true));
    run(&s, 5);
    scene_at(&s, 0, VIEW_STATE_PAUSED);
    cr_assert(screen_has(&s.snap, 24, 80, "lr 1→2"));
    cr_assert_eq(s.t.history.v[TRAIN_LR][24], 1);
    cr_assert_eq(s.t.history.v[TRAIN_LR][25], 2);
    char *sum = trainer_summary(&s.t, TRAINER_QUIT, NULL);
    cr_assert(strstr(sum, "stopped after 30 of 1000 epochs at lr = 1 (then 2 from epoch 26): cost 0.6559 → "), "%s",
              sum);
    mem_free(sum);
    run(&s, 970);
    sum = trainer_summary(&s.t, TRAINER_FINISHED, NULL);
    cr_assert(strstr(sum, "trained 1000 epochs at lr = 1 (then 2 from epoch 26): cost 0.6559 → "), "%s", sum);
    mem_free(sum);
    scene_end(&s);
}

/* The status line, the curve's labels, the summary and the record agree
 * to the printed digit: the axis top is the cost before training (the
 * summary's first number), the current value is the last epoch's loss. */
Test(view, status_axis_summary_and_record_agree)
{
    Scene s;
    scene_ch7(&s, 1000);
    scene_at(&s, 302, VIEW_STATE_PAUSED);
    char now[FORMAT_NUMBER_MAX], first[FORMAT_NUMBER_MAX], want[96];
    format_inline_number(s.t.history.v[TRAIN_LOSS][301], FORMAT_SHORT, now, sizeof now);
    format_inline_number(s.t.first_loss, FORMAT_SHORT, first, sizeof first);
    cr_assert_str_eq(first, "0.6559");
    snprintf(want, sizeof want, "loss %s", now);
    cr_assert(screen_has(&s.snap, 24, 80, want), "%s", want);
    snprintf(want, sizeof want, "◀ %s", now);
    cr_assert(screen_has(&s.snap, 24, 80, want), "%s", want);
    snprintf(want, sizeof want, " %s ┤", first);
    cr_assert(screen_has(&s.snap, 24, 80, want), "%s", want);
    char *sum = trainer_summary(&s.t, TRAINER_QUIT, NULL);
    snprintf(want, sizeof want, "cost %s → %s", first, now);
    cr_assert(strstr(sum, want), "%s | %s", sum, want);
    mem_free(sum);
    cr_assert_eq(trainer_cost_now(&s.t), s.t.history.v[TRAIN_LOSS][301]);
    scene_end(&s);
}

/* With held-out data the live view trains as train() does (the same
 * optimiser, the same numbers) and draws the held-out curve beside the
 * training one. */
Test(view, a_held_out_curve_beside_the_training_curve)
{
    static const double y[4] = { 0, 1, 1, 0 };
    Scene s;
    s.in = interp_new(NULL, NULL);
    s.model = net_value(3, 4, 1, false, MLP_SIGMOID);
    s.X = tensor_from(2, 4, 3, book_x, NULL);
    s.Y = tensor_from(2, 4, 1, y, NULL);
    LiveRequest req = { .model = &s.model, .name = "net", .X = s.X, .Y = s.Y, .Xval = s.X, .Yval = s.Y,
                        .epochs = 200, .lr = 0.05 };
    mlp_options_init(&req.opt);
    req.opt.optimizer = MLP_OPT_ADAM;
    Error e;
    cr_assert(trainer_init(&s.t, s.in, &req, &e), "%s", e.msg);
    snapshot_init(&s.snap);
    scene_at(&s, 200, VIEW_STATE_DONE);
    assert_screen(&s.snap, 24, 80, "heldout_adam_done_80x24");
    cr_assert(screen_has(&s.snap, 24, 80, "• held-out"));
    cr_assert_gt(count_role(&s.snap, 24, 80, ROLE_CURVE_VAL), 20);
    /* train() with the same options gives the same weights and losses. */
    Mlp ref;
    cr_assert(mlp_init(&ref, 3, 4, 1, 1, false, MLP_SIGMOID, NULL));
    MlpOptions o = req.opt;
    o.epochs = 200;
    o.lr = 0.05;
    MlpTrainReport rep;
    cr_assert(mlp_fit(&ref, s.X, s.Y, s.X, s.Y, &o, NULL, NULL, NULL, &rep, NULL));
    assert_tensor_near(s.t.work.as.mlp->W1, 2, 3, 4, ref.W1->data, 0);
    cr_assert_eq(s.t.last_loss, rep.last_loss);
    char *sum = trainer_summary(&s.t, TRAINER_FINISHED, NULL);
    cr_assert(strstr(sum, "trained 200 epochs with adam at lr = 0.05: cost 0.6559 → "), "%s", sum);
    cr_assert(strstr(sum, "; held-out cost "), "%s", sum);
    mem_free(sum);
    mlp_free(&ref);
    scene_end(&s);
}

/* A deeper net (3-4-4-1, tanh hidden layers, which learns XOR): its own
 * forward pass draws the plane; hidden units are named by layer. */
Test(view, a_deeper_tanh_net_draws_its_boundary_and_names_its_layers)
{
    static const double y[4] = { 0, 1, 1, 0 };
    Scene s;
    Value v;
    size_t sizes[4] = { 3, 4, 4, 1 };
    cr_assert(value_mlp(&v, NULL));
    Rng r;
    rng_init(&r, 1);
    cr_assert(mlp_create(v.as.mlp, 3, sizes, MLP_TANH, MLP_SIGMOID, false, &r, NULL));
    scene_start(&s, v, tensor_from(2, 4, 3, book_x, NULL), tensor_from(2, 4, 1, y, NULL), 2000, 0.5);
    scene_at(&s, 2000, VIEW_STATE_DONE);
    cr_assert_lt(s.t.last_loss, 0.01, "the scene learns XOR");
    assert_screen(&s.snap, 24, 80, "deep_tanh_done_80x24");
    assert_screen(&s.snap, 40, 120, "deep_tanh_done_120x40");
    cr_assert(screen_has(&s.snap, 40, 120, "mlp 3→4→4→1 tanh"));
    cr_assert(screen_has(&s.snap, 40, 120, "h1.4"));
    cr_assert(screen_has(&s.snap, 40, 120, "h2.1"));
    cr_assert_gt(count_role(&s.snap, 40, 120, ROLE_BOUNDARY_NEG) + count_role(&s.snap, 40, 120, ROLE_BOUNDARY_POS),
                 3);
    /* Each data point lies on the side of the boundary its output says:
     * the plane's shading under a point is the net's own verdict. */
    Grid g;
    cr_assert(grid_init(&g, 40, 120, NULL));
    view_draw(&s.snap, &g);
    int right = 0;
    for (int r0 = 0; r0 < 40; r0++)
        for (int c = 1; c + 1 < 120; c++) {
            const Cell *cell = grid_at(&g, r0, c);
            if (cell->role != ROLE_POINT_POS && cell->role != ROLE_POINT_NEG)
                continue;
            Role side = (Role)grid_at(&g, r0, c + 1)->role;
            bool pos_side = side >= ROLE_SHADE_POS1 && side <= ROLE_SHADE_POS4;
            right += pos_side == (cell->role == ROLE_POINT_POS);
        }
    grid_free(&g);
    cr_assert_eq(right, 4, "every point sits in its class's shade");
    scene_end(&s);
}

/* KNOWN_BUGS 2 was a status line that cut "lr 0.1" to "lr 0.": a field is
 * shown whole or not at all, at any width. */
Test(view, the_status_line_never_cuts_a_field)
{
    static const double x[24] = { 5.1, 3.5, 1.4, 0.2, 4.9, 3.0, 1.4, 0.2, 7.0, 3.2, 4.7, 1.4,
                                  6.4, 3.2, 4.5, 1.5, 6.3, 3.3, 6.0, 2.5, 5.8, 2.7, 5.1, 1.9 };
    static const double y[18] = { 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1 };
    Scene s;
    scene_start(&s, net_value(4, 5, 3, true, MLP_SOFTMAX), tensor_from(2, 6, 4, x, NULL),
                tensor_from(2, 6, 3, y, NULL), 500, 0.1);
    scene_at(&s, 200, VIEW_STATE_RUNNING);
    for (int cols = VIEW_MIN_COLS; cols <= 160; cols++) {
        char *text = render(&s.snap, 24, cols);
        char *nl = strchr(text, '\n');
        *nl = '\0';
        char *lr = strstr(text, "lr ");
        cr_assert(!lr || !strncmp(lr, "lr 0.1 ", 7), "at %d columns: %s", cols, text);
        char *loss = strstr(text, "loss ");
        cr_assert(loss && !strncmp(loss, "loss 1.4503 ", 12), "at %d columns: %s", cols, text);
        mem_free(text);
    }
    scene_end(&s);
}

/* --- a watched loop ------------------------------------------------------------------ */

static const char *const ch7_loop_setup =
    "import numpy as np\n"
    "np.random.seed(1)\n"
    "def sigmoid(z):\n"
    "    return 1 / (1 + np.exp(-z))\n"
    "x = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])\n"
    "y = np.array([[0, 1, 1, 0]]).T\n"
    "weight1 = np.random.random((3, 4))\n"
    "weight2 = np.random.random((4, 1))\n"
    "cost = 0.0\n";

static const char *const ch7_loop_body =
    "    a1 = sigmoid(np.dot(x, weight1))\n"
    "    a2 = sigmoid(np.dot(a1, weight2))\n"
    "    cost = 0.5 * np.sum((a2 - y) ** 2)\n"
    "    g2 = (a2 - y) * a2 * (1 - a2)\n"
    "    dC_dw2 = a1.T.dot(g2)\n"
    "    dC_dw1 = x.T.dot(g2.dot(weight2.T) * a1 * (1 - a1))\n"
    "    weight2 = weight2 - 1 * dC_dw2\n"
    "    weight1 = weight1 - 1 * dC_dw1\n";

/* The loop hook of these tests: a LoopRun driven as the dashboard drives
 * it, `passes` at a time, the screens kept for the test to read. */
typedef struct LoopProbe {
    size_t passes;
    bool no_screens;        /* for the out-of-memory sweep: the loop run and its snapshot only */
    char *screen_80, *screen_120;
    char *summary;
    double first_cost, cost_400;
    size_t ncurves;
    bool auto_charted;
} LoopProbe;

static bool probe_loop(void *ctx, Interp *in, LiveLoop *loop, Error *e)
{
    LoopProbe *p = ctx;
    LoopRun r;
    if (!loop_run_init(&r, in, loop, e))
        return false;
    size_t ran;
    bool ok = loop_run_steps(&r, p->passes, &ran, e);
    Snapshot snap;
    snapshot_init(&snap);
    if (ok && p->no_screens) {
        ok = loop_run_snapshot(&r, &snap, e);
        char *sum = ok ? loop_run_summary(&r, TRAINER_FINISHED, e) : NULL;
        ok = sum != NULL;
        mem_free(sum);
    } else if (ok && loop_run_snapshot(&r, &snap, e)) {
        snap.speed = 200;
        snap.state = r.done ? VIEW_STATE_DONE : VIEW_STATE_PAUSED;
        p->screen_80 = render(&snap, 24, 80);
        p->screen_120 = render(&snap, 40, 120);
        p->ncurves = snap.ncurves;
        p->auto_charted = snap.auto_charted;
        if (r.ncharted && r.passes) {
            p->first_cost = r.series[0][0];
            p->cost_400 = r.series[0][r.passes - 1];
        }
        p->summary = loop_run_summary(&r, r.done ? TRAINER_FINISHED : TRAINER_QUIT, e);
    }
    snapshot_free(&snap);
    loop_run_free(&r);
    return ok;
}

static Interp *loop_interp(LoopProbe *p, Text *out)
{
    Interp *in = interp_new(collect, out);
    view_install_headless(in);
    interp_set_live(in, view_live, probe_loop, p);
    return in;
}

static void probe_free(LoopProbe *p)
{
    mem_free(p->screen_80);
    mem_free(p->screen_120);
    mem_free(p->summary);
}

/* The book's chapter-7 loop with `watch cost` in front, stopped after 400
 * of its 1000 passes: weight1 and weight2 (its state) on top, what each
 * pass makes below them, the cost curve, and the variables as pass 400
 * left them, which are those of the net train() trains 400 epochs. */
Test(view, a_watched_loop_shows_its_weights_and_cost_and_stops_after_a_whole_pass)
{
    LoopProbe p = { .passes = 400 };
    Text out = {0};
    Interp *in = loop_interp(&p, &out);
    Text src = {0};
    text_printf(&src, "%swatch cost for iter in range(0, 1000):\n%s\n", ch7_loop_setup, ch7_loop_body);
    Error e;
    cr_assert(interp_run(in, src.s, &e), "%s", e.msg);
    assert_screen_text(p.screen_80, "loop_ch7_pass400_80x24");
    assert_screen_text(p.screen_120, "loop_ch7_pass400_120x40");
    cr_assert(strstr(p.screen_80, "weight1"), "%s", p.screen_80);
    cr_assert(strstr(p.screen_80, "weight2"), "%s", p.screen_80);
    cr_assert(strstr(p.screen_80, "╭─ cost "), "%s", p.screen_80);
    cr_assert(strstr(p.screen_80, "pass  400/1000"), "%s", p.screen_80);
    cr_assert_str_eq(p.summary, "stopped after 400 of 1000 passes of `watch cost for iter in range(0, 1000):` (its "
                                "variables keep their values): cost 0.6559 → 0.2696\n");
    /* Pass k's cost is the cost before update k (numpy says 0.26963612921
     * for pass 400); after 400 passes the weights are those train() gives
     * after 400 epochs, to rounding (numpy's sum and nudge's ascending
     * one). */
    Value *it = interp_get(in, "iter");
    cr_assert(it && value_to_double(it) == 399);
    Value net;
    cr_assert(value_mlp(&net, NULL) && mlp_init(net.as.mlp, 3, 4, 1, 1, false, MLP_SIGMOID, NULL));
    static const double y[4] = { 0, 1, 1, 0 };
    Tensor *X = tensor_from(2, 4, 3, book_x, NULL), *Y = tensor_from(2, 4, 1, y, NULL);
    MlpTrainReport rep;
    cr_assert(mlp_train(net.as.mlp, X, Y, 400, 1, NULL, NULL, &rep, NULL));
    assert_near(p.first_cost, rep.first_loss, 1e-15);
    const Tensor *w1 = interp_get(in, "weight1")->as.tensor, *w2 = interp_get(in, "weight2")->as.tensor;
    assert_tensor_near(w1, 2, 3, 4, net.as.mlp->W1->data, 1e-12);
    assert_tensor_near(w2, 2, 4, 1, net.as.mlp->W2->data, 1e-12);
    value_free(&net);
    tensor_delete(X);
    tensor_delete(Y);
    text_free(&src);
    probe_free(&p);
    text_free(&out);
    interp_delete(in);
}

/* Without names, the numbers the body assigns are charted; a loop that
 * runs out ends done, with what its body printed kept in order. */
Test(view, a_loop_without_names_charts_the_numbers_it_assigns)
{
    LoopProbe p = { .passes = 100 };
    Text out = {0};
    Interp *in = loop_interp(&p, &out);
    Error e;
    cr_assert(interp_run(in, "c = 0; d = 1; v = [1, 2, 3]\n"
                             "watch while d < 1000:\n"
                             "    c = c + 1\n"
                             "    d = d * 2\n"
                             "    v = v * 2\n\n", &e), "%s", e.msg);
    cr_assert(p.auto_charted);
    cr_assert_eq(p.ncurves, 2);
    cr_assert(strstr(p.screen_80, "╭─ c (every number the loop assigns"), "%s", p.screen_80);
    cr_assert(strstr(p.screen_120, "╭─ d "), "%s", p.screen_120);
    cr_assert(strstr(p.screen_80, "pass 10 "), "%s", p.screen_80);
    cr_assert(strstr(p.screen_80, "done"), "%s", p.screen_80);
    cr_assert_str_eq(p.summary, "ran 10 passes of `watch while d < 1000:`: c 1 → 10, d 2 → 1024\n");
    assert_screen_text(p.screen_80, "loop_auto_done_80x24");
    probe_free(&p);
    text_free(&out);
    interp_delete(in);
}

/* Every allocation a watched loop's run makes may fail: the statement
 * then fails with "out of memory"; nothing crashes or leaks (the ASan
 * build checks the leaks). */
Test(view, a_watched_loop_running_out_of_memory_fails_cleanly)
{
    const char *setup = "c = 0; v = [1.0, 2.0, 3.0]";
    const char *loop = "watch c for i in range(5):\n    c = c + i\n    v = v * 2\n\n";
    long total;
    {
        LoopProbe p = { .passes = 5, .no_screens = true };
        Text out = {0};
        Interp *in = loop_interp(&p, &out);
        Error e;
        cr_assert(interp_run(in, setup, &e), "%s", e.msg);
        long before = mem_count();
        cr_assert(interp_run(in, loop, &e), "%s", e.msg);
        total = mem_count() - before;
        text_free(&out);
        interp_delete(in);
    }
    bool finished = false;
    for (long k = 0; k <= total; k++) {
        LoopProbe p = { .passes = 5, .no_screens = true };
        Text out = {0};
        Interp *in = loop_interp(&p, &out);
        Error e;
        cr_assert(interp_run(in, setup, &e), "%s", e.msg);
        mem_fail_after(k);
        bool ok = interp_run(in, loop, &e);
        mem_fail_after(-1);
        if (ok)
            finished = finished || k == total;
        else
            cr_assert(strstr(e.msg, "out of memory"), "k = %ld: %s", k, e.msg);
        probe_free(&p);
        text_free(&out);
        interp_delete(in);
    }
    cr_assert(finished, "the run with every allocation succeeding failed");
}

/* A loop's status line at any width: the charted value whole, the
 * header cut with "…" when it must give way. */
Test(view, a_loop_status_line_keeps_its_values_whole)
{
    Snapshot s;
    snapshot_init(&s);
    static const double w[6] = { 0.5, -1.25, 2, 0.125, -0.75, 3 };
    Tensor *t = tensor_from(2, 2, 3, w, NULL);
    const char *names[1] = { "weights" };
    const Tensor *arrays[1] = { t };
    cr_assert(snapshot_take_arrays(&s, names, arrays, 1, NULL));
    static const double cost[3] = { 98.94227, 50.5, 41.631589 };
    snprintf(s.title, sizeof s.title, "watch cost for step_number in range(0, number_of_steps):");
    snprintf(s.curves[0].name, sizeof s.curves[0].name, "cost");
    s.curves[0].v = cost;
    s.curves[0].n = 3;
    s.ncurves = 1;
    s.epoch = 3;
    s.epochs = 300;
    s.speed = 60;
    for (int cols = VIEW_MIN_COLS; cols <= 160; cols++) {
        char *text = render(&s, 24, cols);
        char *nl = strchr(text, '\n');
        *nl = '\0';
        cr_assert(strstr(text, "cost 41.6316 "), "at %d columns: %s", cols, text);
        cr_assert(strstr(text, "pass   3/300"), "at %d columns: %s", cols, text);
        cr_assert(strstr(text, "watch cost for"), "at %d columns: %s", cols, text);
        mem_free(text);
    }
    snapshot_free(&s);
    tensor_delete(t);
}
