#include "COpenSSL.h"

EVP_PKEY *kswift_rsa_keygen(size_t bits) {
    return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", bits);
}

EVP_PKEY *kswift_ec_keygen(const char *curve) {
    return EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
}

long kswift_bio_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

void kswift_openssl_free(void *ptr) {
    OPENSSL_free(ptr);
}

int kswift_sk_GENERAL_NAME_num(const GENERAL_NAMES *names) {
    return sk_GENERAL_NAME_num(names);
}

GENERAL_NAME *kswift_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int i) {
    return sk_GENERAL_NAME_value(names, i);
}

int kswift_sk_GENERAL_NAME_push(GENERAL_NAMES *names, GENERAL_NAME *name) {
    return sk_GENERAL_NAME_push(names, name);
}

int kswift_sk_ASN1_OBJECT_num(const EXTENDED_KEY_USAGE *objs) {
    return sk_ASN1_OBJECT_num(objs);
}

ASN1_OBJECT *kswift_sk_ASN1_OBJECT_value(const EXTENDED_KEY_USAGE *objs, int i) {
    return sk_ASN1_OBJECT_value(objs, i);
}

STACK_OF(X509_EXTENSION) *kswift_sk_X509_EXTENSION_new_null(void) {
    return sk_X509_EXTENSION_new_null();
}

int kswift_sk_X509_EXTENSION_push(STACK_OF(X509_EXTENSION) *exts, X509_EXTENSION *ext) {
    return sk_X509_EXTENSION_push(exts, ext);
}

void kswift_sk_X509_EXTENSION_pop_free(STACK_OF(X509_EXTENSION) *exts) {
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
}

int kswift_ssl_set_sni(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}
