/* A stand-in bcryptprimitives.dll for Wine only (make windows, issue #9). NEVER ship it.
 *
 * pydantic-core (Rust std) calls ProcessPrng from bcryptprimitives.dll, which Wine 8 lacks.
 * This one fills the buffer from RtlGenRandom (advapi32's SystemFunction036), as Windows does.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
