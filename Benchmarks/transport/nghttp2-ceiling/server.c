/*
 * The ceiling: a bare nghttp2 h2c server that answers every request with one canned,
 * pre-encoded gRPC reply (a SimpleResponse carrying a 100-byte payload) and
 * `grpc-status: 0` trailers. It never decodes the request, never allocates per call
 * beyond what nghttp2 itself does, and runs one thread on one epoll loop.
 *
 * Why it exists: our transport is built on nghttp2, so this is the most any server
 * built on nghttp2 can do on this machine with this client (h2load). The distance
 * between this number and our interop-server is the cost of everything we add on top:
 * Swift, NIO, gRPC framing, protobuf decode/encode, the handler and its task.
 *
 * Build:  cc -O2 -o nghttp2-ceiling server.c $(pkg-config --cflags --libs libnghttp2)
 * Run:    nghttp2-ceiling --port 50071      (binds 127.0.0.1 only)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nghttp2/nghttp2.h>

/* ---- the canned reply ------------------------------------------------------------ */

/* gRPC length-prefixed message: 1 byte compressed flag, 4 bytes big-endian length,
 * then SimpleResponse { payload (field 1) = Payload { body (field 2) = 100 x 0x00 } }.
 * Payload    = 0x12 0x64 <100 bytes>          -> 102 bytes
 * SimpleResp = 0x0a 0x66 <Payload>            -> 104 bytes
 * Framed     = 00 00 00 00 68 <SimpleResp>    -> 109 bytes                         */
#define BODY_SIZE 100
#define REPLY_SIZE (5 + 2 + 2 + BODY_SIZE)
static uint8_t canned_reply[REPLY_SIZE];

static void build_canned_reply(void) {
  uint8_t *p = canned_reply;
  *p++ = 0;                       /* not compressed */
  uint32_t len = 2 + 2 + BODY_SIZE; /* 104 */
  *p++ = (uint8_t)(len >> 24);
  *p++ = (uint8_t)(len >> 16);
  *p++ = (uint8_t)(len >> 8);
  *p++ = (uint8_t)len;
  *p++ = 0x0a;                    /* field 1, length-delimited */
  *p++ = 2 + BODY_SIZE;           /* 102 */
  *p++ = 0x12;                    /* field 2, length-delimited */
  *p++ = BODY_SIZE;               /* 100 */
  memset(p, 0, BODY_SIZE);
}

#define NV(NAME, VALUE)                                                              \
  { (uint8_t *)(NAME), (uint8_t *)(VALUE), sizeof(NAME) - 1, sizeof(VALUE) - 1,      \
    NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE }

static const nghttp2_nv response_headers[] = {
    NV(":status", "200"),
    NV("content-type", "application/grpc"),
};
static const nghttp2_nv response_trailers[] = {
    NV("grpc-status", "0"),
};

/* ---- connections ----------------------------------------------------------------- */

typedef struct conn {
  int fd;
  nghttp2_session *session;
  /* Bytes nghttp2 produced that the socket has not taken yet. Everything nghttp2 has to
   * say in one loop turn is gathered here and written with one write(2): that batching
   * is the main lever for small-message throughput. */
  uint8_t *out;
  size_t out_len, out_off, out_cap;
  int want_out; /* EPOLLOUT currently registered */
} conn;

static int epfd;

/* Data source for a reply body: emits the canned message once, then asks nghttp2 to
 * end the stream with trailers instead of END_STREAM on the DATA frame. */
static ssize_t read_reply(nghttp2_session *session, int32_t stream_id, uint8_t *buf,
                          size_t length, uint32_t *data_flags,
                          nghttp2_data_source *source, void *user_data) {
  (void)source;
  (void)user_data;
  if (length < REPLY_SIZE) /* never happens with 16K frames, but be correct */
    return NGHTTP2_ERR_CALLBACK_FAILURE;
  memcpy(buf, canned_reply, REPLY_SIZE);
  *data_flags |= NGHTTP2_DATA_FLAG_EOF | NGHTTP2_DATA_FLAG_NO_END_STREAM;
  if (nghttp2_submit_trailer(session, stream_id, response_trailers,
                             sizeof(response_trailers) / sizeof(response_trailers[0])) != 0)
    return NGHTTP2_ERR_CALLBACK_FAILURE;
  return REPLY_SIZE;
}

/* A request is complete when its END_STREAM arrives (on DATA, or on HEADERS for an
 * empty body). Only then is the reply submitted, as a real unary server would. */
static int on_frame_recv(nghttp2_session *session, const nghttp2_frame *frame,
                         void *user_data) {
  (void)user_data;
  if ((frame->hd.type == NGHTTP2_DATA || frame->hd.type == NGHTTP2_HEADERS) &&
      (frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
    nghttp2_data_provider provider = {.source = {.ptr = NULL}, .read_callback = read_reply};
    if (nghttp2_submit_response(session, frame->hd.stream_id, response_headers,
                                sizeof(response_headers) / sizeof(response_headers[0]),
                                &provider) != 0)
      return NGHTTP2_ERR_CALLBACK_FAILURE;
  }
  return 0;
}

static void set_events(conn *c, int want_out) {
  if (c->want_out == want_out) return;
  struct epoll_event ev = {.events = EPOLLIN | (want_out ? EPOLLOUT : 0), .data.ptr = c};
  epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
  c->want_out = want_out;
}

static int append_out(conn *c, const uint8_t *data, size_t n) {
  if (c->out_len + n > c->out_cap) {
    size_t cap = c->out_cap ? c->out_cap : 65536;
    while (cap < c->out_len + n) cap *= 2;
    uint8_t *p = realloc(c->out, cap);
    if (!p) return -1;
    c->out = p;
    c->out_cap = cap;
  }
  memcpy(c->out + c->out_len, data, n);
  c->out_len += n;
  return 0;
}

/* Drain nghttp2's pending output into the socket. Stops (and waits for EPOLLOUT) when
 * the kernel buffer is full, so a slow reader cannot make us buffer without bound. */
static int flush_conn(conn *c) {
  for (;;) {
    while (c->out_off < c->out_len) {
      ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          set_events(c, 1);
          return 0;
        }
        if (errno == EINTR) continue;
        return -1;
      }
      c->out_off += (size_t)n;
    }
    c->out_off = c->out_len = 0;
    /* mem_send's pointer is only valid until the next call, so copy as we go; stop at
     * 64 KiB to keep the buffer small and write often enough. */
    for (;;) {
      const uint8_t *data;
      ssize_t n = nghttp2_session_mem_send(c->session, &data);
      if (n < 0) return -1;
      if (n == 0) break;
      if (append_out(c, data, (size_t)n) != 0) return -1;
      if (c->out_len >= 65536) break;
    }
    if (c->out_len == 0) {
      set_events(c, 0);
      return 0;
    }
  }
}

static void close_conn(conn *c) {
  epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  nghttp2_session_del(c->session);
  free(c->out);
  free(c);
}

static nghttp2_session_callbacks *callbacks;

static void accept_all(int lfd) {
  for (;;) {
    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return; /* EAGAIN, or a transient error: try again on the next event */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    conn *c = calloc(1, sizeof(*c));
    if (!c) { close(fd); continue; }
    c->fd = fd;
    if (nghttp2_session_server_new(&c->session, callbacks, c) != 0) {
      close(fd);
      free(c);
      continue;
    }
    /* Our SETTINGS: enough concurrent streams for the -m 32 scenario and then some. */
    nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 1000},
    };
    nghttp2_submit_settings(c->session, NGHTTP2_FLAG_NONE, settings, 1);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
    if (flush_conn(c) != 0) close_conn(c);
  }
}

static volatile sig_atomic_t stopping = 0;
static void on_signal(int sig) { (void)sig; stopping = 1; }

int main(int argc, char **argv) {
  int port = 50071;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) port = atoi(argv[++i]);
  }
  build_canned_reply();
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa = {.sa_handler = on_signal};
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  nghttp2_session_callbacks_new(&callbacks);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, on_frame_recv);

  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(lfd, 4096) != 0) {
    perror("nghttp2-ceiling: bind/listen");
    return 1;
  }
  epfd = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &lev);
  fprintf(stderr, "nghttp2-ceiling listening on 127.0.0.1:%d\n", port);

  static uint8_t inbuf[65536];
  struct epoll_event events[256];
  while (!stopping) {
    int n = epoll_wait(epfd, events, 256, 1000);
    for (int i = 0; i < n; i++) {
      conn *c = events[i].data.ptr;
      if (c == NULL) {
        accept_all(lfd);
        continue;
      }
      int dead = 0;
      if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        ssize_t r = read(c->fd, inbuf, sizeof(inbuf));
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
          dead = 1;
        } else if (r > 0 && nghttp2_session_mem_recv(c->session, inbuf, (size_t)r) < 0) {
          dead = 1;
        }
      }
      /* Whatever came in, answer it in one batched write (or resume a blocked one). */
      if (!dead && flush_conn(c) != 0) dead = 1;
      if (!dead && !nghttp2_session_want_read(c->session) &&
          !nghttp2_session_want_write(c->session) && c->out_len == 0)
        dead = 1;
      if (dead) close_conn(c);
    }
  }
  close(lfd);
  nghttp2_session_callbacks_del(callbacks);
  return 0;
}
