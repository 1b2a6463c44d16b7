/* A one-answer HTTP server on loopback, for what the emulator cannot say: a code no table
 * knows, a body that is not JSON, any status and headers, byte for byte (the conformance
 * suite's responses). It answers every request with the same response, keeps the last
 * request body, and closes each connection. Real sockets: the library talks real HTTP. */
#ifndef KV_TEST_CANNED_H
#define KV_TEST_CANNED_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct canned {
    int fd;
    unsigned short port;
    pthread_t thread;
    pthread_mutex_t lock;
    char response[65536];
    char last_body[65536];
    int requests; /* requests answered since the last canned_set */
    int stop;
} canned;

/* The URL to give the client as its base URL. */
static inline void canned_url(const canned *c, char *buf, size_t n) {
    snprintf(buf, n, "http://127.0.0.1:%u", (unsigned)c->port);
}

/* Sets the answer: status, extra header lines ("" or "Retry-After: 2\r\n"), body. */
static void canned_set(canned *c, int status, const char *headers, const char *body) {
    /* JSON unless the headers say otherwise */
    const char *type = strstr(headers, "Content-Type:") || strstr(headers, "content-type:")
                           ? ""
                           : "Content-Type: application/json\r\n";
    pthread_mutex_lock(&c->lock);
    snprintf(c->response, sizeof c->response,
             "HTTP/1.1 %d Canned\r\n%sContent-Length: %lu\r\nConnection: close\r\n%s\r\n%s",
             status, type, (unsigned long)strlen(body), headers, body);
    c->requests = 0;
    c->last_body[0] = '\0';
    pthread_mutex_unlock(&c->lock);
}

static void canned_serve_one(canned *c, int conn) {
    char buf[70000];
    size_t got = 0;
    char *end = NULL;
    long length = 0;
    while (got < sizeof buf - 1) {
        ssize_t r = recv(conn, buf + got, sizeof buf - 1 - got, 0);
        if (r <= 0) return;
        got += (size_t)r;
        buf[got] = '\0';
        if (end == NULL && (end = strstr(buf, "\r\n\r\n")) != NULL) {
            char *cl = strstr(buf, "content-length:");
            if (cl == NULL) cl = strstr(buf, "Content-Length:");
            length = cl ? strtol(cl + 15, NULL, 10) : 0;
        }
        if (end != NULL && (long)(got - (size_t)(end + 4 - buf)) >= length) break;
    }
    if (end == NULL) return;
    pthread_mutex_lock(&c->lock);
    c->requests++;
    snprintf(c->last_body, sizeof c->last_body, "%.*s", (int)length, end + 4);
    {
        size_t len = strlen(c->response), sent = 0;
        while (sent < len) {
            ssize_t w = send(conn, c->response + sent, len - sent, 0);
            if (w <= 0) break;
            sent += (size_t)w;
        }
    }
    pthread_mutex_unlock(&c->lock);
}

static void *canned_loop(void *arg) {
    canned *c = (canned *)arg;
    for (;;) {
        int conn = accept(c->fd, NULL, NULL);
        if (conn < 0) break;
        if (c->stop) {
            close(conn);
            break;
        }
        canned_serve_one(c, conn);
        shutdown(conn, SHUT_RDWR);
        close(conn);
    }
    return NULL;
}

/* Starts it on a free port; returns 0 on success. */
static int canned_start(canned *c) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int one = 1;
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0) return -1;
    setsockopt(c->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(c->fd, (struct sockaddr *)&addr, sizeof addr) != 0) return -1;
    if (listen(c->fd, 16) != 0) return -1;
    getsockname(c->fd, (struct sockaddr *)&addr, &len);
    c->port = ntohs(addr.sin_port);
    canned_set(c, 200, "", "{}");
    return pthread_create(&c->thread, NULL, canned_loop, c);
}

/* Stops it: one last connection wakes the accept loop. */
static inline void canned_stop(canned *c) {
    struct sockaddr_in addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    c->stop = 1;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(c->port);
    if (fd >= 0) {
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { /* already gone */ }
        close(fd);
    }
    pthread_join(c->thread, NULL);
    close(c->fd);
    pthread_mutex_destroy(&c->lock);
}

/* A loopback port with nothing listening (bound, then closed). */
static inline unsigned short closed_port(void) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, (struct sockaddr *)&addr, sizeof addr);
    getsockname(fd, (struct sockaddr *)&addr, &len);
    close(fd);
    return ntohs(addr.sin_port);
}

#endif
