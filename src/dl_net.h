/* dl_net.h - the hiredis and OpenSSL functions redislint calls, resolved at
 * run time (dynlib.h says why). Include it after the libraries' headers in a
 * file that calls them, and call dynlib_net() before the first of them:
 * every name below then calls through the pointer dynlib.c filled in.
 * OpenSSL's function-like macros (SSL_CTX_set_min_proto_version,
 * sk_GENERAL_NAME_num...) expand to the functions listed here. */
#ifndef RL_DL_NET_H
#define RL_DL_NET_H
#include <hiredis/hiredis.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "dynlib.h"

#define RL_HIREDIS_FUNCS(X) \
  X(freeReplyObject) \
  X(redisAppendCommandArgv) \
  X(redisConnectUnixWithTimeout) \
  X(redisConnectWithTimeout) \
  X(redisFormatCommandArgv) \
  X(redisFree) \
  X(redisFreeCommand) \
  X(redisGetReply) \
  X(redisReaderCreate) \
  X(redisReaderFeed) \
  X(redisReaderFree) \
  X(redisReaderGetReply) \
  X(redisSetTimeout)

#define RL_SSL_FUNCS(X) \
  X(SSL_CTX_check_private_key) \
  X(SSL_CTX_ctrl) \
  X(SSL_CTX_free) \
  X(SSL_CTX_load_verify_locations) \
  X(SSL_CTX_new) \
  X(SSL_CTX_set_client_cert_cb) \
  X(SSL_CTX_set_default_passwd_cb) \
  X(SSL_CTX_set_default_verify_paths) \
  X(SSL_CTX_set_options) \
  X(SSL_CTX_set_verify) \
  X(SSL_CTX_use_PrivateKey_file) \
  X(SSL_CTX_use_certificate_chain_file) \
  X(SSL_connect) \
  X(SSL_ctrl) \
  X(SSL_free) \
  X(SSL_get0_param) \
  X(SSL_get_error) \
  X(SSL_get_ex_data) \
  X(SSL_get_peer_cert_chain) \
  X(SSL_get_verify_result) \
  X(SSL_new) \
  X(SSL_read) \
  X(SSL_set1_host) \
  X(SSL_set_ex_data) \
  X(SSL_set_fd) \
  X(SSL_set_hostflags) \
  X(SSL_shutdown) \
  X(SSL_write) \
  X(TLS_client_method)

#define RL_CRYPTO_FUNCS(X) \
  X(ASN1_STRING_get0_data) \
  X(ASN1_STRING_length) \
  X(ERR_clear_error) \
  X(ERR_error_string_n) \
  X(ERR_peek_error) \
  X(ERR_peek_last_error) \
  X(ERR_reason_error_string) \
  X(GENERAL_NAMES_free) \
  X(OPENSSL_sk_num) \
  X(OPENSSL_sk_value) \
  X(X509_NAME_get_text_by_NID) \
  X(X509_VERIFY_PARAM_set1_ip_asc) \
  X(X509_get_ext_d2i) \
  X(X509_get_subject_name) \
  X(X509_verify_cert_error_string)

#define RL_DL_DECLARE(f) extern __typeof__(f) *rl_dl_##f;
RL_HIREDIS_FUNCS(RL_DL_DECLARE)
RL_SSL_FUNCS(RL_DL_DECLARE)
RL_CRYPTO_FUNCS(RL_DL_DECLARE)
#undef RL_DL_DECLARE

#ifndef RL_DL_DEFINE /* dynlib.c defines the pointers; everyone else calls them */
#define freeReplyObject (*rl_dl_freeReplyObject)
#define redisAppendCommandArgv (*rl_dl_redisAppendCommandArgv)
#define redisConnectUnixWithTimeout (*rl_dl_redisConnectUnixWithTimeout)
#define redisConnectWithTimeout (*rl_dl_redisConnectWithTimeout)
#define redisFormatCommandArgv (*rl_dl_redisFormatCommandArgv)
#define redisFree (*rl_dl_redisFree)
#define redisFreeCommand (*rl_dl_redisFreeCommand)
#define redisGetReply (*rl_dl_redisGetReply)
#define redisReaderCreate (*rl_dl_redisReaderCreate)
#define redisReaderFeed (*rl_dl_redisReaderFeed)
#define redisReaderFree (*rl_dl_redisReaderFree)
#define redisReaderGetReply (*rl_dl_redisReaderGetReply)
#define redisSetTimeout (*rl_dl_redisSetTimeout)

#define SSL_CTX_check_private_key (*rl_dl_SSL_CTX_check_private_key)
#define SSL_CTX_ctrl (*rl_dl_SSL_CTX_ctrl)
#define SSL_CTX_free (*rl_dl_SSL_CTX_free)
#define SSL_CTX_load_verify_locations (*rl_dl_SSL_CTX_load_verify_locations)
#define SSL_CTX_new (*rl_dl_SSL_CTX_new)
#define SSL_CTX_set_client_cert_cb (*rl_dl_SSL_CTX_set_client_cert_cb)
#define SSL_CTX_set_default_passwd_cb (*rl_dl_SSL_CTX_set_default_passwd_cb)
#define SSL_CTX_set_default_verify_paths (*rl_dl_SSL_CTX_set_default_verify_paths)
#define SSL_CTX_set_options (*rl_dl_SSL_CTX_set_options)
#define SSL_CTX_set_verify (*rl_dl_SSL_CTX_set_verify)
#define SSL_CTX_use_PrivateKey_file (*rl_dl_SSL_CTX_use_PrivateKey_file)
#define SSL_CTX_use_certificate_chain_file (*rl_dl_SSL_CTX_use_certificate_chain_file)
#define SSL_connect (*rl_dl_SSL_connect)
#define SSL_ctrl (*rl_dl_SSL_ctrl)
#define SSL_free (*rl_dl_SSL_free)
#define SSL_get0_param (*rl_dl_SSL_get0_param)
#define SSL_get_error (*rl_dl_SSL_get_error)
#define SSL_get_ex_data (*rl_dl_SSL_get_ex_data)
#define SSL_get_peer_cert_chain (*rl_dl_SSL_get_peer_cert_chain)
#define SSL_get_verify_result (*rl_dl_SSL_get_verify_result)
#define SSL_new (*rl_dl_SSL_new)
#define SSL_read (*rl_dl_SSL_read)
#define SSL_set1_host (*rl_dl_SSL_set1_host)
#define SSL_set_ex_data (*rl_dl_SSL_set_ex_data)
#define SSL_set_fd (*rl_dl_SSL_set_fd)
#define SSL_set_hostflags (*rl_dl_SSL_set_hostflags)
#define SSL_shutdown (*rl_dl_SSL_shutdown)
#define SSL_write (*rl_dl_SSL_write)
#define TLS_client_method (*rl_dl_TLS_client_method)

#define ASN1_STRING_get0_data (*rl_dl_ASN1_STRING_get0_data)
#define ASN1_STRING_length (*rl_dl_ASN1_STRING_length)
#define ERR_clear_error (*rl_dl_ERR_clear_error)
#define ERR_error_string_n (*rl_dl_ERR_error_string_n)
#define ERR_peek_error (*rl_dl_ERR_peek_error)
#define ERR_peek_last_error (*rl_dl_ERR_peek_last_error)
#define ERR_reason_error_string (*rl_dl_ERR_reason_error_string)
#define GENERAL_NAMES_free (*rl_dl_GENERAL_NAMES_free)
#define OPENSSL_sk_num (*rl_dl_OPENSSL_sk_num)
#define OPENSSL_sk_value (*rl_dl_OPENSSL_sk_value)
#define X509_NAME_get_text_by_NID (*rl_dl_X509_NAME_get_text_by_NID)
#define X509_VERIFY_PARAM_set1_ip_asc (*rl_dl_X509_VERIFY_PARAM_set1_ip_asc)
#define X509_get_ext_d2i (*rl_dl_X509_get_ext_d2i)
#define X509_get_subject_name (*rl_dl_X509_get_subject_name)
#define X509_verify_cert_error_string (*rl_dl_X509_verify_cert_error_string)
#endif
#endif
