/* audit_match.c - which key template of the code a key of the server is.
 *
 * A template is literal text with holes (`user:\x01:name`); a hole matches one
 * or more bytes, any bytes: most code templates mean one ':'-separated
 * segment, but an f-string can put a ':' in a hole (f"{tenant}:{uid}"), and
 * a key the code writes must match the template it was written from. The
 * looser reading makes more templates match a key (`user:\x01` matches
 * "user:42:name" too), so the most specific one wins: the most literal bytes,
 * then the fewest holes, then the smallest text, which is deterministic.
 *
 * Speed: 100,000 keys against a few hundred templates. Templates are put in
 * a trie by their text before the first hole; a key walks the trie once
 * along its own bytes and is tried only against the templates met on the
 * way (those whose literal prefix is a prefix of the key), each node's list
 * in rank order so the walk stops trying a list at the first template that
 * could not beat the best match so far. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"
#include "model.h"

typedef struct TrieNode {
  uint32_t child, sibling; /* node indexes, 0 = none (the root is never a child) */
  unsigned char byte;      /* label of the edge into this node */
  uint32_t first, count;   /* templates ending their literal prefix here: order[first..] */
} TrieNode;

struct TplIndex {
  const char *const *tpls;
  size_t ntpls;
  size_t *rank;      /* rank[t]: position in specificity order (0 = most specific) */
  size_t *order;     /* templates grouped by trie node, by rank within a node */
  TrieNode *nodes;
  size_t nnodes, cap;
};

static size_t prefix_len(const char *t) {
  const char *h = strchr(t, KEY_HOLE);
  return h ? (size_t)(h - t) : strlen(t);
}

/* Literal bytes and holes of a template. */
static void tpl_weight(const char *t, size_t *literal, size_t *holes) {
  *literal = *holes = 0;
  for (; *t; t++) {
    if (*t == KEY_HOLE) ++*holes;
    else ++*literal;
  }
}

static const char *const *g_sort_tpls; /* qsort has no context argument (C11) */

static int cmp_specific(const void *a, const void *b) {
  const char *x = g_sort_tpls[*(const size_t *)a], *y = g_sort_tpls[*(const size_t *)b];
  size_t lx, hx, ly, hy;
  tpl_weight(x, &lx, &hx);
  tpl_weight(y, &ly, &hy);
  if (lx != ly) return lx > ly ? -1 : 1;
  if (hx != hy) return hx < hy ? -1 : 1;
  return strcmp(x, y);
}

static uint32_t node_new(TplIndex *ix, unsigned char byte) {
  if (ix->nnodes == ix->cap) ix->nodes = xrealloc(ix->nodes, (ix->cap = ix->cap * 2 + 16) * sizeof(TrieNode));
  TrieNode *n = &ix->nodes[ix->nnodes];
  memset(n, 0, sizeof *n);
  n->byte = byte;
  return (uint32_t)ix->nnodes++;
}

static uint32_t child_of(const TplIndex *ix, uint32_t node, unsigned char byte) {
  for (uint32_t c = ix->nodes[node].child; c; c = ix->nodes[c].sibling)
    if (ix->nodes[c].byte == byte) return c;
  return 0;
}

/* The node of a literal prefix, created on the way. */
static uint32_t insert(TplIndex *ix, const char *p, size_t n) {
  uint32_t at = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = child_of(ix, at, (unsigned char)p[i]);
    if (!c) {
      c = node_new(ix, (unsigned char)p[i]);
      ix->nodes[c].sibling = ix->nodes[at].child;
      ix->nodes[at].child = c;
    }
    at = c;
  }
  return at;
}

TplIndex *tplindex_new(const char *const *tpls, size_t n) {
  TplIndex *ix = xcalloc(1, sizeof *ix);
  ix->tpls = tpls;
  ix->ntpls = n;
  ix->rank = xcalloc(n ? n : 1, sizeof(size_t));
  ix->order = xcalloc(n ? n : 1, sizeof(size_t));
  node_new(ix, 0); /* the root: templates that start with a hole */
  size_t *by_rank = xcalloc(n ? n : 1, sizeof(size_t));
  for (size_t i = 0; i < n; i++) by_rank[i] = i;
  g_sort_tpls = tpls;
  qsort(by_rank, n, sizeof(size_t), cmp_specific);
  g_sort_tpls = NULL;
  for (size_t i = 0; i < n; i++) ix->rank[by_rank[i]] = i;
  /* node of each template, then a counting sort by node keeps rank order */
  uint32_t *node = xcalloc(n ? n : 1, sizeof(uint32_t));
  for (size_t i = 0; i < n; i++) node[i] = insert(ix, tpls[i], prefix_len(tpls[i]));
  for (size_t i = 0; i < n; i++) ix->nodes[node[i]].count++;
  uint32_t at = 0;
  for (size_t k = 0; k < ix->nnodes; k++) {
    ix->nodes[k].first = at;
    at += ix->nodes[k].count;
    ix->nodes[k].count = 0;
  }
  for (size_t i = 0; i < n; i++) {
    size_t t = by_rank[i];
    TrieNode *nd = &ix->nodes[node[t]];
    ix->order[nd->first + nd->count++] = t;
  }
  free(node);
  free(by_rank);
  return ix;
}

void tplindex_free(TplIndex *ix) {
  if (!ix) return;
  free(ix->rank);
  free(ix->order);
  free(ix->nodes);
  free(ix);
}

/* First occurrence of needle in hay, or NULL (memmem is not POSIX). */
static const char *find_bytes(const char *hay, size_t n, const char *needle, size_t m) {
  if (!m) return hay;
  for (size_t i = 0; i + m <= n; i++)
    if (hay[i] == needle[0] && !memcmp(hay + i, needle, m)) return hay + i;
  return NULL;
}

/* Leftmost-first: each middle literal is taken at its first occurrence at
 * least one byte after the previous one; that leaves the most room for the
 * rest, so when this fails no other placement succeeds. */
bool tpl_matches(const char *tpl, const char *key, size_t len) {
  size_t seg = prefix_len(tpl);
  if (!tpl[seg]) return len == seg && !memcmp(key, tpl, seg);
  if (len < seg || memcmp(key, tpl, seg)) return false;
  size_t pos = seg; /* key bytes used so far */
  const char *t = tpl + seg + 1;
  for (;;) {
    seg = prefix_len(t);
    if (!t[seg]) /* the last literal ends the key */
      return len >= pos + 1 + seg && !memcmp(key + len - seg, t, seg);
    const char *at = len > pos + 1 ? find_bytes(key + pos + 1, len - pos - 1, t, seg) : NULL;
    if (!at) return false;
    pos = (size_t)(at - key) + seg;
    t += seg + 1;
  }
}

long tplindex_match(const TplIndex *ix, const char *key, size_t len) {
  long best = -1;
  uint32_t at = 0;
  for (size_t i = 0;; i++) {
    const TrieNode *nd = &ix->nodes[at];
    for (uint32_t k = 0; k < nd->count; k++) {
      size_t t = ix->order[nd->first + k];
      if (best >= 0 && ix->rank[t] > ix->rank[best]) break; /* the rest rank lower still */
      if (tpl_matches(ix->tpls[t], key, len)) {
        best = (long)t;
        break;
      }
    }
    if (i == len || !(at = child_of(ix, at, (unsigned char)key[i]))) break;
  }
  return best;
}

/* ---- keys no template matches ------------------------------------------ */

static bool is_hex(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static bool is_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* A UUID (8-4-4-4-12 hex digits) at s[0..n)? */
static bool uuid_at(const char *s, size_t n) {
  if (n < 36) return false;
  for (size_t i = 0; i < 36; i++) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex((unsigned char)s[i])) return false;
  }
  return n == 36 || !is_alnum((unsigned char)s[36]);
}

/* An id word: all hex, with a digit and at least 8 long, or at least 16 long. */
static bool hex_id(const char *s, size_t n) {
  bool digit = false;
  for (size_t i = 0; i < n; i++) {
    if (!is_hex((unsigned char)s[i])) return false;
    digit |= is_digit((unsigned char)s[i]);
  }
  return (digit && n >= 8) || n >= 16;
}

typedef struct Out {
  char *buf;
  size_t cap, len;
} Out;

static void put(Out *o, const char *s, size_t n) {
  for (size_t i = 0; i < n && o->len + 1 < o->cap; i++) o->buf[o->len++] = s[i];
}

/* One segment, ids and digit runs as {} (two holes in a row are one). */
static void put_segment(Out *o, const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    if (uuid_at(s + i, n - i)) {
      put(o, "{}", 2);
      i += 36;
      continue;
    }
    if (!is_alnum((unsigned char)s[i])) {
      put(o, s + i, 1);
      i++;
      continue;
    }
    size_t w = i;
    while (w < n && is_alnum((unsigned char)s[w])) w++;
    if (hex_id(s + i, w - i)) {
      put(o, "{}", 2);
    } else {
      for (size_t k = i; k < w;) {
        if (!is_digit((unsigned char)s[k])) {
          put(o, s + k, 1);
          k++;
          continue;
        }
        while (k < w && is_digit((unsigned char)s[k])) k++;
        put(o, "{}", 2);
      }
    }
    i = w;
  }
}

size_t audit_prefix_group(const char *key, size_t len, char *out, size_t cap) {
  Out o = {out, cap, 0};
  if (!cap) return 0;
  const char *c1 = memchr(key, ':', len);
  size_t s1 = c1 ? (size_t)(c1 - key) : len;
  put_segment(&o, key, s1);
  if (c1) {
    const char *rest = c1 + 1;
    size_t rn = len - s1 - 1;
    const char *c2 = memchr(rest, ':', rn);
    put(&o, ":", 1);
    put_segment(&o, rest, c2 ? (size_t)(c2 - rest) : rn);
    if (c2) put(&o, ":*", 2);
  }
  out[o.len] = '\0';
  return o.len;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  if (s[0] < 0x80) return 1;
  size_t k = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2 : 0;
  if (!k || k > n) return 0;
  for (size_t i = 1; i < k; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  uint32_t cp = s[0] & (0x7F >> k);
  for (size_t i = 1; i < k; i++) cp = cp << 6 | (s[i] & 0x3F);
  if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0; /* overlong, out of range or a surrogate */
  return k;
}

char *audit_safe_name(const char *s, size_t n, size_t cut) {
  static const char hex[] = "0123456789abcdef";
  size_t take = n < cut ? n : cut;
  char *o = xmalloc(4 * take + 8);
  size_t j = 0;
  for (size_t i = 0; i < take;) {
    unsigned char c = (unsigned char)s[i];
    size_t k = utf8_len((const unsigned char *)s + i, take - i);
    if (c == '\\') {
      o[j++] = '\\';
      o[j++] = '\\';
      i++;
    } else if (k == 1 && c >= 0x20 && c != 0x7F) {
      o[j++] = (char)c;
      i++;
    } else if (k > 1 && !(k == 2 && c == 0xC2 && (unsigned char)s[i + 1] < 0xA0)) {
      memcpy(o + j, s + i, k); /* U+0080..U+009F are C1 controls: escaped below */
      j += k;
      i += k;
    } else {
      o[j++] = '\\';
      o[j++] = 'x';
      o[j++] = hex[c >> 4];
      o[j++] = hex[c & 15];
      i++;
    }
  }
  if (take < n) {
    memcpy(o + j, "...", 3);
    j += 3;
  }
  o[j] = '\0';
  return o;
}
