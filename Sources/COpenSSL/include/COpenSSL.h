#ifndef KUBEADM_SWIFT_COPENSSL_H
#define KUBEADM_SWIFT_COPENSSL_H
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/rand.h>
#include <openssl/bn.h>
#include <openssl/ssl.h>
#include <openssl/crypto.h>

/*
 * Thin wrappers for OpenSSL entry points that Swift cannot call directly:
 * variadic functions (EVP_PKEY_Q_keygen) and function-like macros
 * (BIO_get_mem_data, OPENSSL_free, the typed sk_*() stack accessors).
 * They add no logic; every ownership rule is the one of the wrapped call.
 */

/* EVP_PKEY_Q_keygen(NULL, NULL, "RSA", bits). Returns NULL on failure. */
EVP_PKEY *kswift_rsa_keygen(size_t bits);
/* EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve), e.g. curve = "P-256". Returns NULL on failure. */
EVP_PKEY *kswift_ec_keygen(const char *curve);

/* BIO_get_mem_data: sets *data to the BIO's buffer (owned by the BIO) and returns its length. */
long kswift_bio_get_mem_data(BIO *bio, char **data);

/* OPENSSL_free (a macro that passes __FILE__/__LINE__). */
void kswift_openssl_free(void *ptr);

/* STACK_OF(GENERAL_NAME) accessors. push takes ownership of name on success (returns > 0). */
int kswift_sk_GENERAL_NAME_num(const GENERAL_NAMES *names);
GENERAL_NAME *kswift_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int i);
int kswift_sk_GENERAL_NAME_push(GENERAL_NAMES *names, GENERAL_NAME *name);

/* STACK_OF(ASN1_OBJECT) accessors (EXTENDED_KEY_USAGE is such a stack). */
int kswift_sk_ASN1_OBJECT_num(const EXTENDED_KEY_USAGE *objs);
ASN1_OBJECT *kswift_sk_ASN1_OBJECT_value(const EXTENDED_KEY_USAGE *objs, int i);

/* STACK_OF(X509_EXTENSION) helpers used for CSR extension requests. */
STACK_OF(X509_EXTENSION) *kswift_sk_X509_EXTENSION_new_null(void);
int kswift_sk_X509_EXTENSION_push(STACK_OF(X509_EXTENSION) *exts, X509_EXTENSION *ext);
/* Frees the stack and every extension in it. Accepts NULL. */
void kswift_sk_X509_EXTENSION_pop_free(STACK_OF(X509_EXTENSION) *exts);

/* SSL_set_tlsext_host_name (a macro): the SNI name a TLS client sends. */
int kswift_ssl_set_sni(SSL *ssl, const char *name);

#endif
