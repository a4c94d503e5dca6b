/* A stand-in icuuc.dll for Wine only (make windows, issue #9). NEVER ship it.
 *
 * Windows Qt 6 links the ICU of Windows 10 (icuuc.dll); Wine 8 has none, so Qt6Core does not
 * load. Qt6Core imports only these ucnv_* converter functions. ucnv_open fails
 * (U_FILE_ACCESS_ERROR), so Qt falls back to its own codecs and never calls the others; they
 * return 0. It is copied into the Wine prefix's system32 and checked to be absent from the bundle.
 */
#include <stddef.h>

typedef int UErrorCode;
#define U_FILE_ACCESS_ERROR 4

__declspec(dllexport) void *ucnv_open(const char *name, UErrorCode *err)
{
    (void)name;
    if (err != NULL && *err <= 0)
        *err = U_FILE_ACCESS_ERROR;
    return NULL;
}

#define ZERO(fn) __declspec(dllexport) long long fn(void) { return 0; }
ZERO(ucnv_close)
ZERO(UCNV_FROM_U_CALLBACK_SUBSTITUTE)
ZERO(UCNV_TO_U_CALLBACK_SUBSTITUTE)
ZERO(ucnv_reset)
ZERO(ucnv_getMaxCharSize)
ZERO(ucnv_getName)
ZERO(ucnv_getToUCallBack)
ZERO(ucnv_getFromUCallBack)
ZERO(ucnv_setToUCallBack)
ZERO(ucnv_setFromUCallBack)
ZERO(ucnv_cbToUWriteUChars)
ZERO(ucnv_toUnicode)
ZERO(ucnv_cbFromUWriteUChars)
ZERO(ucnv_toUCountPending)
ZERO(ucnv_fromUCountPending)
ZERO(ucnv_getStandardName)
ZERO(ucnv_getAvailableName)
ZERO(ucnv_countAvailable)
ZERO(ucnv_fromUnicode)
