/* activation.c - sigmoid, step, relu, tanh, softmax, and exp over arrays. */
#include "nudge/activation.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

double act_sigmoid(double z)
{
    return 1.0 / (1.0 + exp(-z));
}

double act_dsigmoid(double z)
{
    double s = act_sigmoid(z);
    return s * (1.0 - s);
}

double act_step(double v)
{
    return v > 0.0 ? 1.0 : 0.0;
}

double act_relu(double z)
{
    return z > 0.0 ? z : 0.0;
}

double act_drelu(double z)
{
    return z > 0.0 ? 1.0 : 0.0;
}

double act_tanh(double z)
{
    return tanh(z);
}

double act_dtanh(double z)
{
    double t = tanh(z);
    return 1.0 - t * t;
}

/* --- exp over arrays ------------------------------------------------------
 *
 * glibc (2.28 on) computes exp(x) by the method of ARM's optimized-routines:
 * x = k ln2/128 + r with k = round(x 128/ln2), 2^(k/128) read from a table
 * of 128 entries as a scale and a tail, exp(r) - 1 from a polynomial of
 * degree 5, and the result as scale + scale * tmp.  On x86-64 it ships the
 * same C source three times and picks one when the program loads: built
 * with -mfma -mavx2 when the processor has FMA and AVX2 (the compiler then
 * fuses five multiply-adds, each then rounded once), for FMA4, or for plain
 * SSE2.  The vector kernels below do what the FMA build does, operation for
 * operation and fused where it is fused (read off its machine code,
 * __ieee754_exp_fma in glibc 2.36's libm), in every lane at once, so each
 * lane's result has the same bits as exp() called on it.  They are used
 * only where glibc picks that build; lanes outside its main path (|x| from
 * 2^-54 to 512: tiny x, overflow, underflow, infinities, NaN) get
 * 1.0 + x as glibc does for tiny x, or glibc's exp itself.
 * tests/unit/test_activation.c checks a sample in ctest and
 * tests/unit/exp_glibc.c 10^8 inputs with every special value. */

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__) && defined(__GLIBC__) \
    && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 28))
#define HAVE_VECTOR_EXP 1
#include <immintrin.h>
#else
#define HAVE_VECTOR_EXP 0
#endif

#if HAVE_VECTOR_EXP
/* glibc's __exp_data for 128 table entries and a polynomial of degree 5. */
#define EXP_INVLN2N 0x1.71547652b82fep0 * 128
#define EXP_SHIFT 0x1.8p52
#define EXP_NEGLN2HIN -0x1.62e42fefa0000p-8
#define EXP_NEGLN2LON -0x1.cf79abc9e3b3ap-47
#define EXP_C2 0x1.ffffffffffdbdp-2
#define EXP_C3 0x1.555555555543cp-3
#define EXP_C4 0x1.55555cf172b91p-5
#define EXP_C5 0x1.1111167a4d017p-7

/* tab[2k] is the tail and tab[2k + 1] the bits of 2^(k/128) less k << 45,
 * for k = 0 .. 127: the same numbers as glibc's table (compared bit for bit
 * with the one in libm.so.6). */
static const uint64_t exp_tab[256] = {
    0x0000000000000000u, 0x3ff0000000000000u, 0x3c9b3b4f1a88bf6eu, 0x3feff63da9fb3335u,
    0xbc7160139cd8dc5du, 0x3fefec9a3e778061u, 0xbc905e7a108766d1u, 0x3fefe315e86e7f85u,
    0x3c8cd2523567f613u, 0x3fefd9b0d3158574u, 0xbc8bce8023f98efau, 0x3fefd06b29ddf6deu,
    0x3c60f74e61e6c861u, 0x3fefc74518759bc8u, 0x3c90a3e45b33d399u, 0x3fefbe3ecac6f383u,
    0x3c979aa65d837b6du, 0x3fefb5586cf9890fu, 0x3c8eb51a92fdeffcu, 0x3fefac922b7247f7u,
    0x3c3ebe3d702f9cd1u, 0x3fefa3ec32d3d1a2u, 0xbc6a033489906e0bu, 0x3fef9b66affed31bu,
    0xbc9556522a2fbd0eu, 0x3fef9301d0125b51u, 0xbc5080ef8c4eea55u, 0x3fef8abdc06c31ccu,
    0xbc91c923b9d5f416u, 0x3fef829aaea92de0u, 0x3c80d3e3e95c55afu, 0x3fef7a98c8a58e51u,
    0xbc801b15eaa59348u, 0x3fef72b83c7d517bu, 0xbc8f1ff055de323du, 0x3fef6af9388c8deau,
    0x3c8b898c3f1353bfu, 0x3fef635beb6fcb75u, 0xbc96d99c7611eb26u, 0x3fef5be084045cd4u,
    0x3c9aecf73e3a2f60u, 0x3fef54873168b9aau, 0xbc8fe782cb86389du, 0x3fef4d5022fcd91du,
    0x3c8a6f4144a6c38du, 0x3fef463b88628cd6u, 0x3c807a05b0e4047du, 0x3fef3f49917ddc96u,
    0x3c968efde3a8a894u, 0x3fef387a6e756238u, 0x3c875e18f274487du, 0x3fef31ce4fb2a63fu,
    0x3c80472b981fe7f2u, 0x3fef2b4565e27cddu, 0xbc96b87b3f71085eu, 0x3fef24dfe1f56381u,
    0x3c82f7e16d09ab31u, 0x3fef1e9df51fdee1u, 0xbc3d219b1a6fbffau, 0x3fef187fd0dad990u,
    0x3c8b3782720c0ab4u, 0x3fef1285a6e4030bu, 0x3c6e149289cecb8fu, 0x3fef0cafa93e2f56u,
    0x3c834d754db0abb6u, 0x3fef06fe0a31b715u, 0x3c864201e2ac744cu, 0x3fef0170fc4cd831u,
    0x3c8fdd395dd3f84au, 0x3feefc08b26416ffu, 0xbc86a3803b8e5b04u, 0x3feef6c55f929ff1u,
    0xbc924aedcc4b5068u, 0x3feef1a7373aa9cbu, 0xbc9907f81b512d8eu, 0x3feeecae6d05d866u,
    0xbc71d1e83e9436d2u, 0x3feee7db34e59ff7u, 0xbc991919b3ce1b15u, 0x3feee32dc313a8e5u,
    0x3c859f48a72a4c6du, 0x3feedea64c123422u, 0xbc9312607a28698au, 0x3feeda4504ac801cu,
    0xbc58a78f4817895bu, 0x3feed60a21f72e2au, 0xbc7c2c9b67499a1bu, 0x3feed1f5d950a897u,
    0x3c4363ed60c2ac11u, 0x3feece086061892du, 0x3c9666093b0664efu, 0x3feeca41ed1d0057u,
    0x3c6ecce1daa10379u, 0x3feec6a2b5c13cd0u, 0x3c93ff8e3f0f1230u, 0x3feec32af0d7d3deu,
    0x3c7690cebb7aafb0u, 0x3feebfdad5362a27u, 0x3c931dbdeb54e077u, 0x3feebcb299fddd0du,
    0xbc8f94340071a38eu, 0x3feeb9b2769d2ca7u, 0xbc87deccdc93a349u, 0x3feeb6daa2cf6642u,
    0xbc78dec6bd0f385fu, 0x3feeb42b569d4f82u, 0xbc861246ec7b5cf6u, 0x3feeb1a4ca5d920fu,
    0x3c93350518fdd78eu, 0x3feeaf4736b527dau, 0x3c7b98b72f8a9b05u, 0x3feead12d497c7fdu,
    0x3c9063e1e21c5409u, 0x3feeab07dd485429u, 0x3c34c7855019c6eau, 0x3feea9268a5946b7u,
    0x3c9432e62b64c035u, 0x3feea76f15ad2148u, 0xbc8ce44a6199769fu, 0x3feea5e1b976dc09u,
    0xbc8c33c53bef4da8u, 0x3feea47eb03a5585u, 0xbc845378892be9aeu, 0x3feea34634ccc320u,
    0xbc93cedd78565858u, 0x3feea23882552225u, 0x3c5710aa807e1964u, 0x3feea155d44ca973u,
    0xbc93b3efbf5e2228u, 0x3feea09e667f3bcdu, 0xbc6a12ad8734b982u, 0x3feea012750bdabfu,
    0xbc6367efb86da9eeu, 0x3fee9fb23c651a2fu, 0xbc80dc3d54e08851u, 0x3fee9f7df9519484u,
    0xbc781f647e5a3ecfu, 0x3fee9f75e8ec5f74u, 0xbc86ee4ac08b7db0u, 0x3fee9f9a48a58174u,
    0xbc8619321e55e68au, 0x3fee9feb564267c9u, 0x3c909ccb5e09d4d3u, 0x3feea0694fde5d3fu,
    0xbc7b32dcb94da51du, 0x3feea11473eb0187u, 0x3c94ecfd5467c06bu, 0x3feea1ed0130c132u,
    0x3c65ebe1abd66c55u, 0x3feea2f336cf4e62u, 0xbc88a1c52fb3cf42u, 0x3feea427543e1a12u,
    0xbc9369b6f13b3734u, 0x3feea589994cce13u, 0xbc805e843a19ff1eu, 0x3feea71a4623c7adu,
    0xbc94d450d872576eu, 0x3feea8d99b4492edu, 0x3c90ad675b0e8a00u, 0x3feeaac7d98a6699u,
    0x3c8db72fc1f0eab4u, 0x3feeace5422aa0dbu, 0xbc65b6609cc5e7ffu, 0x3feeaf3216b5448cu,
    0x3c7bf68359f35f44u, 0x3feeb1ae99157736u, 0xbc93091fa71e3d83u, 0x3feeb45b0b91ffc6u,
    0xbc5da9b88b6c1e29u, 0x3feeb737b0cdc5e5u, 0xbc6c23f97c90b959u, 0x3feeba44cbc8520fu,
    0xbc92434322f4f9aau, 0x3feebd829fde4e50u, 0xbc85ca6cd7668e4bu, 0x3feec0f170ca07bau,
    0x3c71affc2b91ce27u, 0x3feec49182a3f090u, 0x3c6dd235e10a73bbu, 0x3feec86319e32323u,
    0xbc87c50422622263u, 0x3feecc667b5de565u, 0x3c8b1c86e3e231d5u, 0x3feed09bec4a2d33u,
    0xbc91bbd1d3bcbb15u, 0x3feed503b23e255du, 0x3c90cc319cee31d2u, 0x3feed99e1330b358u,
    0x3c8469846e735ab3u, 0x3feede6b5579fdbfu, 0xbc82dfcd978e9db4u, 0x3feee36bbfd3f37au,
    0x3c8c1a7792cb3387u, 0x3feee89f995ad3adu, 0xbc907b8f4ad1d9fau, 0x3feeee07298db666u,
    0xbc55c3d956dcaebau, 0x3feef3a2b84f15fbu, 0xbc90a40e3da6f640u, 0x3feef9728de5593au,
    0xbc68d6f438ad9334u, 0x3feeff76f2fb5e47u, 0xbc91eee26b588a35u, 0x3fef05b030a1064au,
    0x3c74ffd70a5fddcdu, 0x3fef0c1e904bc1d2u, 0xbc91bdfbfa9298acu, 0x3fef12c25bd71e09u,
    0x3c736eae30af0cb3u, 0x3fef199bdd85529cu, 0x3c8ee3325c9ffd94u, 0x3fef20ab5fffd07au,
    0x3c84e08fd10959acu, 0x3fef27f12e57d14bu, 0x3c63cdaf384e1a67u, 0x3fef2f6d9406e7b5u,
    0x3c676b2c6c921968u, 0x3fef3720dcef9069u, 0xbc808a1883ccb5d2u, 0x3fef3f0b555dc3fau,
    0xbc8fad5d3ffffa6fu, 0x3fef472d4a07897cu, 0xbc900dae3875a949u, 0x3fef4f87080d89f2u,
    0x3c74a385a63d07a7u, 0x3fef5818dcfba487u, 0xbc82919e2040220fu, 0x3fef60e316c98398u,
    0x3c8e5a50d5c192acu, 0x3fef69e603db3285u, 0x3c843a59ac016b4bu, 0x3fef7321f301b460u,
    0xbc82d52107b43e1fu, 0x3fef7c97337b9b5fu, 0xbc892ab93b470dc9u, 0x3fef864614f5a129u,
    0x3c74b604603a88d3u, 0x3fef902ee78b3ff6u, 0x3c83c5ec519d7271u, 0x3fef9a51fbc74c83u,
    0xbc8ff7128fd391f0u, 0x3fefa4afa2a490dau, 0xbc8dae98e223747du, 0x3fefaf482d8e67f1u,
    0x3c8ec3bc41aa2008u, 0x3fefba1bee615a27u, 0x3c842b94c3a9eb32u, 0x3fefc52b376bba97u,
    0x3c8a64a931d185eeu, 0x3fefd0765b6e4540u, 0xbc8e37bae43be3edu, 0x3fefdbfdad9cbe14u,
    0x3c77893b4d91cd9du, 0x3fefe7c1819e90d8u, 0x3c5305c14160cc89u, 0x3feff3c22b8f71f1u,
};

/* The scalar form of the lanes' work, for the lanes the vectors leave out:
 * glibc's own exp, or the sigmoid 1 / (1 + exp(-z)) made with it. */
static double exp_or_sigmoid(double x, bool sigmoid)
{
    return sigmoid ? 1.0 / (1.0 + exp(-x)) : exp(x);
}

/* AVX2 with FMA, four lanes.  With sigmoid, y = 1 / (1 + exp(-x)). */
__attribute__((target("avx2,fma"))) static void exp_avx2(double *y, const double *x, size_t n, bool sigmoid)
{
    const __m256d invln2n = _mm256_set1_pd(EXP_INVLN2N), shift = _mm256_set1_pd(EXP_SHIFT);
    const __m256d negln2hin = _mm256_set1_pd(EXP_NEGLN2HIN), negln2lon = _mm256_set1_pd(EXP_NEGLN2LON);
    const __m256d c2 = _mm256_set1_pd(EXP_C2), c3 = _mm256_set1_pd(EXP_C3);
    const __m256d c4 = _mm256_set1_pd(EXP_C4), c5 = _mm256_set1_pd(EXP_C5);
    const __m256d one = _mm256_set1_pd(1.0), lo = _mm256_set1_pd(0x1p-54), hi = _mm256_set1_pd(512.0);
    const __m256d sign = _mm256_set1_pd(-0.0);
    const __m256i idx_mask = _mm256_set1_epi64x(127);
    const long long *tab = (const long long *)exp_tab;
    for (size_t i = 0; i < n; i += 4) {
        /* A last group of fewer than four goes through masks. */
        size_t w = n - i < 4 ? n - i : 4;
        const __m256i live = _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)w), _mm256_setr_epi64x(0, 1, 2, 3));
        const double *in = x + i;
        __m256d vx = w == 4 ? _mm256_loadu_pd(in) : _mm256_maskload_pd(in, live);
        if (sigmoid)
            vx = _mm256_xor_pd(vx, sign);
        __m256d ax = _mm256_andnot_pd(sign, vx);
        __m256d tiny = _mm256_cmp_pd(ax, lo, _CMP_LT_OQ);
        __m256d core = _mm256_and_pd(_mm256_cmp_pd(ax, lo, _CMP_GE_OQ), _mm256_cmp_pd(ax, hi, _CMP_LT_OQ));
        /* kd = x 128/ln2 + shift (fused), ki its bits, kd the integer */
        __m256d kd = _mm256_fmadd_pd(vx, invln2n, shift);
        __m256i ki = _mm256_castpd_si256(kd);
        kd = _mm256_sub_pd(kd, shift);
        /* r = x + kd (-ln2/128) in two parts, each fused */
        __m256d r = _mm256_fmadd_pd(kd, negln2hin, vx);
        r = _mm256_fmadd_pd(kd, negln2lon, r);
        __m256i idx = _mm256_slli_epi64(_mm256_and_si256(ki, idx_mask), 1);
        __m256d tail = _mm256_i64gather_pd((const double *)exp_tab, idx, 8);
        __m256i sbits = _mm256_add_epi64(_mm256_i64gather_epi64(tab + 1, idx, 8), _mm256_slli_epi64(ki, 45));
        /* tmp = tail + r + r2 (C2 + r C3) + r2 r2 (C4 + r C5) */
        __m256d r2 = _mm256_mul_pd(r, r);
        __m256d t = _mm256_add_pd(r, tail);
        __m256d p23 = _mm256_fmadd_pd(r, c3, c2);
        __m256d p45 = _mm256_fmadd_pd(r, c5, c4);
        t = _mm256_fmadd_pd(p23, r2, t);
        __m256d r4 = _mm256_mul_pd(r2, r2);
        t = _mm256_fmadd_pd(r4, p45, t);
        /* scale + scale tmp, fused */
        __m256d scale = _mm256_castsi256_pd(sbits);
        __m256d e = _mm256_fmadd_pd(scale, t, scale);
        e = _mm256_blendv_pd(e, _mm256_add_pd(one, vx), tiny);
        if (sigmoid)
            e = _mm256_div_pd(one, _mm256_add_pd(one, e));
        /* The other lanes read their input before y is written: y may be x. */
        unsigned rest = ~(unsigned)_mm256_movemask_pd(_mm256_or_pd(core, tiny)) & ((1u << w) - 1u);
        if (rest) {
            double out[4];
            _mm256_storeu_pd(out, e);
            for (size_t l = 0; rest; l++, rest >>= 1)
                if (rest & 1)
                    out[l] = exp_or_sigmoid(in[l], sigmoid);
            e = _mm256_loadu_pd(out);
        }
        if (w == 4)
            _mm256_storeu_pd(y + i, e);
        else
            _mm256_maskstore_pd(y + i, live, e);
    }
}

/* AVX-512F, eight lanes; the same steps as exp_avx2. */
/* Without optimisation gcc expands the gather intrinsics as macros whose
 * all-ones mask (0xFF) it converts to char, which -Wsign-conversion flags
 * inside its own header; the conversion is the header's and intended. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-conversion"
__attribute__((target("avx512f"))) static void exp_avx512(double *y, const double *x, size_t n, bool sigmoid)
{
    const __m512d invln2n = _mm512_set1_pd(EXP_INVLN2N), shift = _mm512_set1_pd(EXP_SHIFT);
    const __m512d negln2hin = _mm512_set1_pd(EXP_NEGLN2HIN), negln2lon = _mm512_set1_pd(EXP_NEGLN2LON);
    const __m512d c2 = _mm512_set1_pd(EXP_C2), c3 = _mm512_set1_pd(EXP_C3);
    const __m512d c4 = _mm512_set1_pd(EXP_C4), c5 = _mm512_set1_pd(EXP_C5);
    const __m512d one = _mm512_set1_pd(1.0), lo = _mm512_set1_pd(0x1p-54), hi = _mm512_set1_pd(512.0);
    const __m512i idx_mask = _mm512_set1_epi64(127);
    const __m512i sign = _mm512_set1_epi64((long long)0x8000000000000000u);
    for (size_t i = 0; i < n; i += 8) {
        /* Masked stores are slow on AMD's processors: only the last group
         * of fewer than eight goes through a mask. */
        size_t w = n - i < 8 ? n - i : 8;
        __mmask8 live = (__mmask8)((1u << w) - 1u);
        __m512d vx = w == 8 ? _mm512_loadu_pd(x + i) : _mm512_maskz_loadu_pd(live, x + i);
        if (sigmoid)
            vx = _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(vx), sign));
        __m512d ax = _mm512_castsi512_pd(_mm512_andnot_si512(sign, _mm512_castpd_si512(vx)));
        __mmask8 tiny = _mm512_cmp_pd_mask(ax, lo, _CMP_LT_OQ);
        __mmask8 core = _mm512_cmp_pd_mask(ax, lo, _CMP_GE_OQ) & _mm512_cmp_pd_mask(ax, hi, _CMP_LT_OQ);
        __m512d kd = _mm512_fmadd_pd(vx, invln2n, shift);
        __m512i ki = _mm512_castpd_si512(kd);
        kd = _mm512_sub_pd(kd, shift);
        __m512d r = _mm512_fmadd_pd(kd, negln2hin, vx);
        r = _mm512_fmadd_pd(kd, negln2lon, r);
        __m512i idx = _mm512_slli_epi64(_mm512_and_si512(ki, idx_mask), 1);
        __m512d tail = _mm512_i64gather_pd(idx, exp_tab, 8);
        __m512i sbits = _mm512_add_epi64(_mm512_i64gather_epi64(idx, exp_tab + 1, 8), _mm512_slli_epi64(ki, 45));
        __m512d r2 = _mm512_mul_pd(r, r);
        __m512d t = _mm512_add_pd(r, tail);
        __m512d p23 = _mm512_fmadd_pd(r, c3, c2);
        __m512d p45 = _mm512_fmadd_pd(r, c5, c4);
        t = _mm512_fmadd_pd(p23, r2, t);
        __m512d r4 = _mm512_mul_pd(r2, r2);
        t = _mm512_fmadd_pd(r4, p45, t);
        __m512d scale = _mm512_castsi512_pd(sbits);
        __m512d e = _mm512_fmadd_pd(scale, t, scale);
        e = _mm512_mask_add_pd(e, tiny, one, vx);
        if (sigmoid)
            e = _mm512_div_pd(one, _mm512_add_pd(one, e));
        unsigned rest = (unsigned)(live & ~(core | tiny));
        if (rest) {
            double in[8], out[8];
            _mm512_storeu_pd(out, e);
            memcpy(in, x + i, w * sizeof *in);
            for (size_t l = 0; rest; l++, rest >>= 1)
                if (rest & 1)
                    out[l] = exp_or_sigmoid(in[l], sigmoid);
            e = _mm512_loadu_pd(out);
        }
        if (w == 8)
            _mm512_storeu_pd(y + i, e);
        else
            _mm512_mask_storeu_pd(y + i, live, e);
    }
}
#pragma GCC diagnostic pop
#endif

bool act_exp_kernel_available(TensorIsa isa)
{
    switch (isa) {
    case TENSOR_ISA_AUTO:
    case TENSOR_ISA_PORTABLE:
        return true;
#if HAVE_VECTOR_EXP
    /* Where glibc picks its FMA build of exp: FMA and AVX2 usable. */
    case TENSOR_ISA_AVX2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case TENSOR_ISA_AVX512:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
               && __builtin_cpu_supports("avx512f");
#else
    case TENSOR_ISA_AVX2:
    case TENSOR_ISA_AVX512:
        return false;
#endif
    }
    return false;
}

bool act_exp_kernel(double *y, const double *x, size_t n, bool sigmoid, TensorIsa isa)
{
    if (isa == TENSOR_ISA_AUTO)
        isa = !act_exp_kernel_available(TENSOR_ISA_AVX2) ? TENSOR_ISA_PORTABLE
              : act_exp_kernel_available(TENSOR_ISA_AVX512) ? TENSOR_ISA_AVX512 : TENSOR_ISA_AVX2;
    else if (!act_exp_kernel_available(isa))
        return false;
    switch (isa) {
#if HAVE_VECTOR_EXP
    case TENSOR_ISA_AVX512:
        exp_avx512(y, x, n, sigmoid);
        return true;
    case TENSOR_ISA_AVX2:
        exp_avx2(y, x, n, sigmoid);
        return true;
#endif
    default:
        break;
    }
    if (sigmoid)
        for (size_t i = 0; i < n; i++)
            y[i] = 1.0 / (1.0 + exp(-x[i]));
    else
        for (size_t i = 0; i < n; i++)
            y[i] = exp(x[i]);
    return true;
}

void act_exp_values(double *y, const double *x, size_t n)
{
    act_exp_kernel(y, x, n, false, TENSOR_ISA_AUTO);
}

void act_sigmoid_values(double *y, const double *z, size_t n)
{
    act_exp_kernel(y, z, n, true, TENSOR_ISA_AUTO);
}

/* glibc's tanh is built on expm1, not exp, so exp's kernels cannot give its
 * bits: each element goes to tanh() itself. */
void act_tanh_values(double *y, const double *z, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = tanh(z[i]);
}

/* Each row less its largest element, exp of the whole matrix at once (the
 * vectors run across rows), then each row's sum in ascending order and the
 * divisions: the same operations, in the same order per element, as exp
 * and a division row by row. */
void act_softmax_into(Tensor *out, const Tensor *z)
{
    size_t cols = z->cols;
    for (size_t r = 0; r < z->rows; r++) {
        const double *zr = z->data + r * cols;
        double *o = out->data + r * cols;
        double max = -INFINITY;
        for (size_t c = 0; c < cols; c++)
            if (zr[c] > max)
                max = zr[c];
        for (size_t c = 0; c < cols; c++)
            o[c] = zr[c] - max;
    }
    act_exp_values(out->data, out->data, tensor_size(z));
    for (size_t r = 0; r < z->rows; r++) {
        double *o = out->data + r * cols;
        double s = 0.0;
        for (size_t c = 0; c < cols; c++)
            s += o[c];
        for (size_t c = 0; c < cols; c++)
            o[c] /= s;
    }
}

Tensor *act_softmax(const Tensor *z, Error *e)
{
    Tensor *out = tensor_new(z->ndim, z->rows, z->cols, e);
    if (out)
        act_softmax_into(out, z);
    return out;
}
