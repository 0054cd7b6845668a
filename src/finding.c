/* finding.c - names of severities and fix applicabilities. */
#include "finding.h"

const char *severity_name(Severity s) {
  switch (s) {
  case SEV_ERROR: return "error";
  case SEV_WARNING: return "warning";
  default: return "info";
  }
}

const char *applicability_name(Applicability a) {
  switch (a) {
  case FIX_SAFE: return "safe";
  case FIX_UNSAFE: return "unsafe";
  case FIX_DISPLAY: return "display";
  default: return "none";
  }
}
