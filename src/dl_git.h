/* dl_git.h - the libgit2 functions redislint calls, resolved at run time
 * (dynlib.h says why). Include it after <git2.h> in a file that calls
 * libgit2, and call dynlib_git() before the first of them: every name below
 * then calls through the pointer dynlib.c filled in. */
#ifndef RL_DL_GIT_H
#define RL_DL_GIT_H
#include <git2.h>

#include "dynlib.h"

#define RL_GIT_FUNCS(X) \
  X(git_blob_free) \
  X(git_blob_lookup) \
  X(git_buf_dispose) \
  X(git_commit_free) \
  X(git_commit_lookup) \
  X(git_commit_tree) \
  X(git_diff_blob_to_buffer) \
  X(git_diff_find_options_init) \
  X(git_diff_find_similar) \
  X(git_diff_foreach) \
  X(git_diff_free) \
  X(git_diff_options_init) \
  X(git_diff_tree_to_workdir_with_index) \
  X(git_error_last) \
  X(git_libgit2_init) \
  X(git_libgit2_shutdown) \
  X(git_merge_base) \
  X(git_object_free) \
  X(git_object_id) \
  X(git_object_peel) \
  X(git_oid_tostr) \
  X(git_patch_free) \
  X(git_patch_from_buffers) \
  X(git_patch_to_buf) \
  X(git_reference_name_to_id) \
  X(git_repository_free) \
  X(git_repository_is_bare) \
  X(git_repository_open_ext) \
  X(git_repository_workdir) \
  X(git_revparse_single) \
  X(git_tree_entry_bypath) \
  X(git_tree_entry_free) \
  X(git_tree_entry_id) \
  X(git_tree_free)

#define RL_DL_DECLARE(f) extern __typeof__(f) *rl_dl_##f;
RL_GIT_FUNCS(RL_DL_DECLARE)
#undef RL_DL_DECLARE

#ifndef RL_DL_DEFINE /* dynlib.c defines the pointers; everyone else calls them */
#define git_blob_free (*rl_dl_git_blob_free)
#define git_blob_lookup (*rl_dl_git_blob_lookup)
#define git_buf_dispose (*rl_dl_git_buf_dispose)
#define git_commit_free (*rl_dl_git_commit_free)
#define git_commit_lookup (*rl_dl_git_commit_lookup)
#define git_commit_tree (*rl_dl_git_commit_tree)
#define git_diff_blob_to_buffer (*rl_dl_git_diff_blob_to_buffer)
#define git_diff_find_options_init (*rl_dl_git_diff_find_options_init)
#define git_diff_find_similar (*rl_dl_git_diff_find_similar)
#define git_diff_foreach (*rl_dl_git_diff_foreach)
#define git_diff_free (*rl_dl_git_diff_free)
#define git_diff_options_init (*rl_dl_git_diff_options_init)
#define git_diff_tree_to_workdir_with_index (*rl_dl_git_diff_tree_to_workdir_with_index)
#define git_error_last (*rl_dl_git_error_last)
#define git_libgit2_init (*rl_dl_git_libgit2_init)
#define git_libgit2_shutdown (*rl_dl_git_libgit2_shutdown)
#define git_merge_base (*rl_dl_git_merge_base)
#define git_object_free (*rl_dl_git_object_free)
#define git_object_id (*rl_dl_git_object_id)
#define git_object_peel (*rl_dl_git_object_peel)
#define git_oid_tostr (*rl_dl_git_oid_tostr)
#define git_patch_free (*rl_dl_git_patch_free)
#define git_patch_from_buffers (*rl_dl_git_patch_from_buffers)
#define git_patch_to_buf (*rl_dl_git_patch_to_buf)
#define git_reference_name_to_id (*rl_dl_git_reference_name_to_id)
#define git_repository_free (*rl_dl_git_repository_free)
#define git_repository_is_bare (*rl_dl_git_repository_is_bare)
#define git_repository_open_ext (*rl_dl_git_repository_open_ext)
#define git_repository_workdir (*rl_dl_git_repository_workdir)
#define git_revparse_single (*rl_dl_git_revparse_single)
#define git_tree_entry_bypath (*rl_dl_git_tree_entry_bypath)
#define git_tree_entry_free (*rl_dl_git_tree_entry_free)
#define git_tree_entry_id (*rl_dl_git_tree_entry_id)
#define git_tree_free (*rl_dl_git_tree_free)
#endif
#endif
