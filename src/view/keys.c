/* keys.c - what each key asks of the live view, and the 1-2-5 ladder the
 * speed and learning-rate keys step along. */
#include "nudge/view.h"

#include <math.h>

unsigned view_key(int key)
{
    switch (key) {
    case ' ':
        return VIEW_ACT_PAUSE;
    case 'n':
    case 'N':
    case 's':
    case 'S':
    case '.':
    case VIEW_KEY_RIGHT:
        return VIEW_ACT_STEP;
    case VIEW_KEY_UP:
    case 'k':
        return VIEW_ACT_UP;
    case VIEW_KEY_DOWN:
    case 'j':
        return VIEW_ACT_DOWN;
    case VIEW_KEY_PAGE_UP:
        return VIEW_ACT_PAGE_UP;
    case VIEW_KEY_PAGE_DOWN:
        return VIEW_ACT_PAGE_DOWN;
    case '+':
    case '=':
        return VIEW_ACT_FASTER;
    case '-':
    case '_':
        return VIEW_ACT_SLOWER;
    case '[':
        return VIEW_ACT_LR_DOWN;
    case ']':
        return VIEW_ACT_LR_UP;
    case 'r':
    case 'R':
        return VIEW_ACT_RESTART;
    case 'l':
    case 'L':
        return VIEW_ACT_LOG;
    case 'q':
    case 'Q':
    case 27:    /* Esc */
        return VIEW_ACT_QUIT;
    case 3:     /* Ctrl-C when the terminal does not turn it into SIGINT */
        return VIEW_ACT_INTERRUPT;
    case VIEW_KEY_RESIZE:
        return VIEW_ACT_RESIZE;
    default:
        return key < 0 ? 0 : VIEW_ACT_OTHER;
    }
}

double view_ladder(double x, bool up)
{
    static const double mant[3] = { 1, 2, 5 };
    if (!(x > 0) || !isfinite(x))
        return up ? 1 : 0.1;
    int k = (int)floor(log10(x));
    double best = up ? INFINITY : 0;
    for (int e = k - 1; e <= k + 1; e++)
        for (int i = 0; i < 3; i++) {
            double v = mant[i] * pow(10, e);
            if (up && v > x * (1 + 1e-9) && v < best)
                best = v;
            if (!up && v < x * (1 - 1e-9) && v > best)
                best = v;
        }
    return best;
}
