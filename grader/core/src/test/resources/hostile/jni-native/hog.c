/* Hostile native code for the jni-native submission: takes memory with malloc, touches every page, keeps it. */
#include <jni.h>
#include <stdlib.h>
#include <string.h>

JNIEXPORT jlong JNICALL Java_homework_Sum_grab(JNIEnv *env, jclass cls, jlong mib) {
    jlong got = 0;
    for (jlong i = 0; i < mib; i++) {
        char *p = malloc(1 << 20);
        if (p == NULL) {
            break;
        }
        memset(p, 1, 1 << 20);
        got++;
    }
    return got;
}
