/* Hostile native code for the jni-native submission: takes memory with malloc, touches every page, keeps it. */
#include <jni.h>
#include <stdlib.h>

/* every block stays reachable from here, so that neither the compiler nor malloc can give any of it back */
static char *hoard[1 << 16];

/* whether one block of mib MiB, untouched, can be had at all: not past the kernel's address-space limit */
JNIEXPORT jboolean JNICALL Java_homework_Sum_mapped(JNIEnv *env, jclass cls, jlong mib) {
    void *p = malloc((size_t) mib << 20);
    free(p);
    return p != NULL;
}

JNIEXPORT jlong JNICALL Java_homework_Sum_grab(JNIEnv *env, jclass cls, jlong mib) {
    jlong got = 0;
    for (jlong i = 0; i < mib && i < (1 << 16); i++) {
        volatile char *p = malloc(1 << 20);
        if (p == NULL) {
            break;
        }
        for (size_t k = 0; k < (1 << 20); k += 4096) {
            p[k] = 1; /* one byte a page makes it resident, fast even on a busy machine */
        }
        hoard[i] = (char *) p;
        got++;
    }
    return got;
}
