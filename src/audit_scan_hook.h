/* audit_scan_hook.h - a test hook of the audit scanner (audit_scan.c).
 *
 * What happens to keys between SCAN and the reads, or between two rounds of
 * reads (deleted, expired, recreated with another type), and a node that
 * dies in the middle of its scan, cannot be timed from outside the scanner.
 * The tests set this hook and act at those points; nothing else sets it. */
#ifndef RL_AUDIT_SCAN_HOOK_H
#define RL_AUDIT_SCAN_HOOK_H
#include "audit.h"

typedef enum {
  AUDIT_HOOK_SCANNED, /* a SCAN batch was taken, nothing read yet */
  AUDIT_HOOK_ROUND1,  /* TYPE, MEMORY USAGE, OBJECT ENCODING, PTTL read */
  AUDIT_HOOK_ROUND2   /* lengths and the second TYPE read */
} AuditHookPoint;

/* keys[0..n): the batch (names only at AUDIT_HOOK_SCANNED); node: its node. */
typedef void (*AuditScanHook)(AuditHookPoint at, const AuditNode *node, const KeyStat *keys, size_t n,
                              void *arg);
/* NULL: none (the default). */
void audit_scan_set_hook(AuditScanHook fn, void *arg);
#endif
