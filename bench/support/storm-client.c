/*
 * The stations of a reconnect storm, the load generator of bench/restart.ts and bench/idle-memory.ts (storm.ts
 * compiles and runs it): one thread, epoll, so that on the two cores it shares with the server it is not the
 * bottleneck of what it measures, as the Bun one (storm-client.ts, the fallback where there is no C compiler) was.
 * Same command line, behaviour and output as storm-client.ts, but for the source addresses (open_socket): change both.
 *
 *   storm-client <ws://host:port/path> <count> <password> <strict|lenient>
 *
 * Opens `count` OCPP 1.6 WebSockets (station i is CP-<i+1, six digits>, as network-seed.ts seeds them), at most
 * MAX_HANDSHAKES from TCP connect to HTTP 101 at a time, in index order. Each sends BootNotification and, once
 * accepted (`lenient`: any CALLRESULT, for the bare echo), a StatusNotification for connector 1, then idles. A
 * connection that fails is retried after 100–300 ms while under 60 s; a refused upgrade is counted, not retried.
 * Prints one JSON line once all StatusNotifications are answered or 60 s have passed:
 *   {"booted","statused","bootedMs","statusMs","refused","retries":{reason: n},"cpuMicros"}
 * then holds the sockets open (answering pings; for memory figures) until its stdin ends.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define GIVE_UP_MS 60000.0
/* Past the server's listen backlog, connections are dropped and retried by TCP seconds later: the backlog a real
 * storm meets, without its loss. */
#define MAX_HANDSHAKES 500
#define STDIN_TAG UINT32_MAX
#define STATIONS_PER_SOURCE 5000
#define MAX_BUFFERED (1 << 24) /* a frame or response header larger than this is no server of ours: dropped */

enum { BOOT, STATUS, IDLE };
struct conn {
  int fd; /* -1 between connections */
  unsigned char connected, upgraded, state;
  char *in, *out; /* bytes received and not yet parsed (a part frame); bytes the kernel has not taken yet */
  size_t in_len, out_len;
};
struct timer { double due; uint32_t i; };
struct reason { char *text; long n; };

static struct conn *conns;
static struct timer *heap; /* retries due, earliest first: a station waits for at most one */
static size_t heap_len;
static struct reason *reasons; /* in first-seen order, as a JS object keeps its keys */
static size_t reasons_len;
static int epfd, lenient, reported, finished;
static long count, next, handshaking, booted, statused, refused;
static double started, booted_ms = NAN, status_ms = NAN;
static const char *password, *path, *authority;
static struct sockaddr_storage addr;
static socklen_t addr_len;
static unsigned sources = 1; /* loopback source addresses, see open_socket() */

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void *xrealloc(void *p, size_t n) {
  if (!(p = realloc(p, n))) { perror("realloc"); exit(1); }
  return p;
}

static void base64(const unsigned char *s, size_t n, char *out) {
  static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = s[i] << 16 | (i + 1 < n ? s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
    *out++ = abc[v >> 18];
    *out++ = abc[v >> 12 & 63];
    *out++ = i + 1 < n ? abc[v >> 6 & 63] : '=';
    *out++ = i + 2 < n ? abc[v & 63] : '=';
  }
  *out = 0;
}

/* Distinct reasons are few (a handful of strings), so a linear search is enough. */
static void count_retry(char *text) {
  for (size_t k = 0; k < reasons_len; k++)
    if (!strcmp(reasons[k].text, text)) { reasons[k].n++; free(text); return; }
  reasons = xrealloc(reasons, (reasons_len + 1) * sizeof *reasons);
  reasons[reasons_len++] = (struct reason){text, 1};
}

static void heap_push(double due, uint32_t i) {
  size_t k = heap_len++;
  for (; k && heap[(k - 1) / 2].due > due; k = (k - 1) / 2) heap[k] = heap[(k - 1) / 2];
  heap[k] = (struct timer){due, i};
}

static uint32_t heap_pop(void) {
  uint32_t top = heap[0].i;
  struct timer last = heap[--heap_len];
  size_t k = 0;
  for (size_t c; (c = 2 * k + 1) < heap_len; k = c) {
    if (c + 1 < heap_len && heap[c + 1].due < heap[c].due) c++;
    if (heap[c].due >= last.due) break;
    heap[k] = heap[c];
  }
  heap[k] = last;
  return top;
}

static void watch(uint32_t i, int op, uint32_t events) {
  struct epoll_event ev = {.events = events, .data.u32 = i};
  epoll_ctl(epfd, op, conns[i].fd, &ev);
}

/* Writes what the kernel takes now and keeps the rest for EPOLLOUT. A failed write is left to the read side, which
 * sees the same reset or EOF and reports it once. */
static void send_bytes(uint32_t i, const char *data, size_t len) {
  struct conn *c = &conns[i];
  if (!c->out_len) {
    ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) return;
    if (n > 0) data += n, len -= n;
    if (!len) return;
    watch(i, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT);
  }
  c->out = xrealloc(c->out, c->out_len + len);
  memcpy(c->out + c->out_len, data, len);
  c->out_len += len;
}

/* A client frame must be masked; a zero key leaves the payload as it is (the protocol allows any key). */
static void send_frame(uint32_t i, unsigned char opcode, const char *payload, size_t len) {
  char frame[8 + 256];
  size_t header = len < 126 ? 2 : 4;
  if (len > 0xffff || header + 4 + len > sizeof frame) return; /* ours are short: never happens */
  frame[0] = (char)(0x80 | opcode);
  frame[1] = (char)(0x80 | (len < 126 ? len : 126));
  if (header == 4) frame[2] = (char)(len >> 8), frame[3] = (char)len;
  memset(frame + header, 0, 4);
  memcpy(frame + header + 4, payload, len);
  send_bytes(i, frame, header + 4 + len);
}

static void send_text(uint32_t i, const char *text) { send_frame(i, 0x1, text, strlen(text)); }

static void admit(void);
static void connect_station(uint32_t i);

static void handshake_over(void) {
  handshaking -= 1;
  admit();
}

/* The end of a connection, once each: what storm-client.ts's close handler does. */
static void closed(uint32_t i, int refused_upgrade) {
  struct conn *c = &conns[i];
  if (c->fd >= 0) close(c->fd); /* also leaves the epoll set */
  c->fd = -1;
  free(c->in), free(c->out);
  c->in = c->out = NULL, c->in_len = c->out_len = 0;
  if (!c->upgraded) handshake_over();
  if (c->state == IDLE) return;
  /* A refused upgrade (401, 503, …) is what a valid station must never see: counted, not retried. */
  if (refused_upgrade) { refused += 1; return; }
  count_retry(strdup(c->upgraded ? "closed by the server" : "connection failed"));
  double now = now_ms();
  if (now - started < GIVE_UP_MS) heap_push(now + 100 + 200.0 * random() / RAND_MAX, i);
}

/* Station i's socket, connecting. The kernel picks the source port by a scan that prefers even ports and checks
 * each one in use towards the same server address and port: past half the ephemeral range (~14,000 connections on
 * 32768–60999) every connect() walked all of them, and 19,500 stations cost the generator 10–13 s of system CPU,
 * 3/4 of it in __inet_hash_connect (perf), in the Bun generator as much. So towards a loopback server the stations
 * come from several loopback addresses (127.0.0.1, .2, …), STATIONS_PER_SOURCE at most each, a port range each; the
 * server sees the address only when it throttles failed logins. IP_BIND_ADDRESS_NO_PORT leaves the port to connect(). */
static int open_socket(uint32_t i) {
  int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
  if (fd < 0) return -1; /* out of descriptors: a failed connection, retried */
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (sources > 1) {
    struct sockaddr_in local = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK + i % sources)};
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) return close(fd), -1;
  }
  if (connect(fd, (struct sockaddr *)&addr, addr_len) < 0 && errno != EINPROGRESS) return close(fd), -1;
  return fd;
}

static void connect_station(uint32_t i) {
  struct conn *c = &conns[i];
  *c = (struct conn){.fd = open_socket(i), .state = BOOT};
  if (c->fd < 0) { closed(i, 0); return; }
  watch(i, EPOLL_CTL_ADD, EPOLLIN | EPOLLOUT); /* EPOLLOUT: the connect is done (or failed) */
}

/* Stations are admitted in index order, a retried one at once when its timer fires (as storm-client.ts does).
 * Re-entered when a connect fails at once: the outer loop goes on. */
static void admit(void) {
  static int admitting;
  if (admitting) return;
  admitting = 1;
  while (handshaking < MAX_HANDSHAKES && next < count) {
    handshaking += 1;
    connect_station(next++);
  }
  admitting = 0;
}

static void send_upgrade(uint32_t i) {
  char id[32], credentials[600], auth[820], nonce[16], key[32], request[1400];
  snprintf(id, sizeof id, "CP-%06ld", (long)i + 1);
  int n = snprintf(credentials, sizeof credentials, "%s:%s", id, password);
  base64((unsigned char *)credentials, (size_t)n, auth);
  for (int k = 0; k < 16; k++) nonce[k] = (char)random();
  base64((unsigned char *)nonce, 16, key);
  n = snprintf(request, sizeof request,
               "GET %s/%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nauthorization: Basic %s\r\n"
               "sec-websocket-protocol: ocpp1.6\r\n\r\n",
               path, id, authority, key, auth);
  send_bytes(i, request, (size_t)n);
}

/* A reason carries the frame's first 120 characters as JS counts them (UTF-16 units), never half a UTF-8 one. */
static void give_up(struct conn *c, const char *what, const char *text, size_t len) {
  size_t take = 0, units = 0;
  while (take < len) {
    unsigned char b = (unsigned char)text[take];
    size_t bytes = b < 0xc0 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4, u = bytes == 4 ? 2 : 1;
    if (units + u > 120 || take + bytes > len) break;
    units += u, take += bytes;
  }
  char *reason = xrealloc(NULL, strlen(what) + take + 16);
  sprintf(reason, "%s answered %.*s", what, (int)take, text);
  count_retry(reason);
  c->state = IDLE;
}

static const char *skip_space(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

/* Whether a payload object says "status": "Accepted". A search rather than a parse: BootNotification's answer
 * ({"status":…,"currentTime":…,"interval":…}) has no nested object that could hold another "status". */
static int accepted(const char *p, const char *end) {
  for (const char *q; (q = memmem(p, (size_t)(end - p), "\"status\"", 8)); p = q + 8) {
    const char *v = skip_space(q + 8, end);
    if (v < end && *v == ':') v = skip_space(v + 1, end);
    if (v + 10 <= end && !memcmp(v, "\"Accepted\"", 10)) return 1;
  }
  return 0;
}

/* An OCPP-J frame `[type,"id",…]`: only the type and the raw id token are read. */
static void on_message(uint32_t i, const char *text, size_t len) {
  struct conn *c = &conns[i];
  const char *end = text + len, *p = skip_space(text, end), *id;
  int type = 0;
  if (p == end || *p++ != '[') return;
  for (p = skip_space(p, end); p < end && *p >= '0' && *p <= '9'; p++) type = type * 10 + (*p - '0');
  if ((p = skip_space(p, end)) == end || *p++ != ',' || (p = skip_space(p, end)) == end || *p != '"') return;
  for (id = p++; p < end && *p != '"'; p++)
    if (*p == '\\') p++;
  if (p++ >= end) return;
  size_t id_len = (size_t)(p - id); /* with its quotes, as it goes back in a CALLERROR */
  int is_b = id_len == 3 && id[1] == 'b', is_s = id_len == 3 && id[1] == 's';
  if (c->state == BOOT && is_b) {
    if (type != 3 || (!lenient && !accepted(p, end))) { give_up(c, "BootNotification", text, len); return; }
    c->state = STATUS;
    if (++booted == count) booted_ms = now_ms() - started;
    send_text(i, "[2,\"s\",\"StatusNotification\",{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\"}]");
  } else if (c->state == STATUS && is_s) {
    c->state = IDLE;
    if (type != 3) { give_up(c, "StatusNotification", text, len); return; }
    if (++statused == count) status_ms = now_ms() - started, finished = 1;
  } else if (type == 2) {
    char reply[300];
    int n = snprintf(reply, sizeof reply, "[4,%.*s,\"NotSupported\",\"bench station\",{}]", (int)id_len, id);
    if (n < (int)sizeof reply) send_frame(i, 0x1, reply, (size_t)n);
  }
}

/* The server's frames (unmasked), as many as are whole; the rest waits for the next read. */
static void on_readable(uint32_t i) {
  struct conn *c = &conns[i];
  char buf[65536];
  ssize_t n = read(c->fd, buf, sizeof buf);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0 || c->in_len + (size_t)n > MAX_BUFFERED) { closed(i, 0); return; } /* EOF, reset */
  c->in = xrealloc(c->in, c->in_len + (size_t)n);
  memcpy(c->in + c->in_len, buf, (size_t)n);
  c->in_len += (size_t)n;
  size_t at = 0;
  if (!c->upgraded) {
    char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
    if (!end) return;
    /* "HTTP/1.1 101 …": the status only (the accept key is not checked). */
    const char *s = c->in + 9;
    if (c->in_len < 12 || memcmp(s, "101", 3)) { closed(i, 1); return; }
    c->upgraded = 1;
    at = (size_t)(end + 4 - c->in);
    handshake_over();
    send_text(i, "[2,\"b\",\"BootNotification\",{\"chargePointVendor\":\"Bench\",\"chargePointModel\":\"Restart\"}]");
  }
  for (;;) {
    const unsigned char *f = (unsigned char *)c->in + at;
    size_t avail = c->in_len - at, header = 2;
    if (avail < 2) break;
    uint64_t len = f[1] & 0x7f;
    if (len == 126) {
      if (avail < 4) break;
      len = (uint64_t)f[2] << 8 | f[3], header = 4;
    } else if (len == 127) {
      if (avail < 10) break;
      len = 0, header = 10;
      for (int k = 2; k < 10; k++) len = len << 8 | f[k];
      if (len > MAX_BUFFERED) { closed(i, 0); return; }
    }
    if (len > avail - header) break;
    const char *payload = (const char *)f + header;
    at += header + (size_t)len;
    switch (f[0] & 0x0f) {
      case 0x1: on_message(i, payload, (size_t)len); break;
      case 0x9: send_frame(i, 0xa, payload, (size_t)len); break; /* ping → pong, same payload */
      case 0x8: closed(i, 0); return;
    }
  }
  c->in_len -= at;
  memmove(c->in, c->in + at, c->in_len);
  if (!c->in_len) free(c->in), c->in = NULL; /* an idle station holds no buffer */
}

static void on_event(uint32_t i, uint32_t events) {
  struct conn *c = &conns[i];
  if (c->fd < 0) return;
  if (!c->connected) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err || (events & (EPOLLERR | EPOLLHUP))) { closed(i, 0); return; }
    c->connected = 1;
    watch(i, EPOLL_CTL_MOD, EPOLLIN);
    send_upgrade(i);
    return;
  }
  if ((events & EPOLLOUT) && c->out_len) {
    ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
    if (n > 0) {
      memmove(c->out, c->out + n, c->out_len -= (size_t)n);
      if (!c->out_len) watch(i, EPOLL_CTL_MOD, EPOLLIN);
    }
  }
  if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(i);
}

/* As JSON.stringify writes a string: the short escapes where there is one, \u00XX for other control characters. */
static void json_string(const char *s) {
  static const char special[] = "\"\\\b\f\n\r\t", letter[] = "\"\\bfnrt";
  putchar('"');
  for (const char *k; *s; s++)
    if ((k = strchr(special, *s))) printf("\\%c", letter[k - special]);
    else if ((unsigned char)*s < 0x20) printf("\\u%04x", *s);
    else putchar(*s);
  putchar('"');
}

static void json_ms(const char *key, double ms) {
  if (isnan(ms)) printf("\"%s\":null,", key); /* JSON.stringify(NaN) */
  else printf("\"%s\":%.3f,", key, ms);
}

static void quit(void) {
  for (long i = 0; i < count; i++)
    if (conns[i].fd >= 0) close(conns[i].fd);
  exit(0);
}

static void report(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  long long cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
  printf("{\"booted\":%ld,\"statused\":%ld,", booted, statused);
  json_ms("bootedMs", booted_ms);
  json_ms("statusMs", status_ms);
  printf("\"refused\":%ld,\"retries\":{", refused);
  for (size_t k = 0; k < reasons_len; k++) {
    if (k) putchar(',');
    json_string(reasons[k].text);
    printf(":%ld", reasons[k].n);
  }
  printf("},\"cpuMicros\":%lld}\n", cpu);
  fflush(stdout);
  reported = 1;
  /* Then idle until stdin ends; stdin that epoll cannot watch (a file, /dev/null) is read to its end at once. */
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = STDIN_TAG};
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &ev) < 0) {
    char buf[4096];
    while (read(0, buf, sizeof buf) > 0) {}
    quit();
  }
}

/* ws://host[:port]/path: host an IPv4 literal or a name (localhost), resolved once. */
static void parse_url(char *url) {
  static char host[256], port[8] = "80";
  if (strncmp(url, "ws://", 5)) { fprintf(stderr, "storm-client: not a ws:// URL: %s\n", url); exit(2); }
  char *a = url + 5, *slash = a + strcspn(a, "/?#"), *colon;
  authority = strndup(a, (size_t)(slash - a));
  colon = memchr(a, ':', (size_t)(slash - a));
  snprintf(host, sizeof host, "%.*s", (int)((colon ? colon : slash) - a), a);
  if (colon) snprintf(port, sizeof port, "%.*s", (int)(slash - colon - 1), colon + 1);
  path = *slash == '/' ? strndup(slash, strcspn(slash, "?#")) : "/";
  struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *res;
  if (getaddrinfo(host, port, &hints, &res) && (hints.ai_family = AF_UNSPEC, getaddrinfo(host, port, &hints, &res))) {
    fprintf(stderr, "storm-client: cannot resolve %s\n", host);
    exit(2);
  }
  memcpy(&addr, res->ai_addr, res->ai_addrlen);
  addr_len = res->ai_addrlen;
  freeaddrinfo(res);
}

int main(int argc, char **argv) {
  started = now_ms();
  if (argc != 5) { fprintf(stderr, "usage: storm-client <ocppUrl> <count> <password> <strict|lenient>\n"); return 2; }
  parse_url(argv[1]);
  count = strtol(argv[2], NULL, 10);
  password = argv[3];
  lenient = !strcmp(argv[4], "lenient");
  if (count < 0 || strlen(password) > 500) { fprintf(stderr, "storm-client: bad count or password\n"); return 2; }
  if (addr.ss_family == AF_INET && ntohl(((struct sockaddr_in *)&addr)->sin_addr.s_addr) >> 24 == 127)
    sources = (unsigned)(count / STATIONS_PER_SOURCE < 253 ? count / STATIONS_PER_SOURCE + 1 : 254);
  struct rlimit limit; /* a station is a descriptor */
  if (!getrlimit(RLIMIT_NOFILE, &limit)) limit.rlim_cur = limit.rlim_max, setrlimit(RLIMIT_NOFILE, &limit);
  signal(SIGPIPE, SIG_IGN);
  srandom((unsigned)(time(NULL) ^ getpid()));
  conns = xrealloc(NULL, (count + 1) * sizeof *conns);
  heap = xrealloc(NULL, (count + 1) * sizeof *heap);
  for (long i = 0; i < count; i++) conns[i].fd = -1;
  if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) { perror("epoll_create1"); return 1; }
  admit();
  struct epoll_event events[1024];
  for (;;) {
    double now = now_ms();
    if (!reported && (finished || now - started >= GIVE_UP_MS)) report();
    while (heap_len && heap[0].due <= now) {
      handshaking += 1;
      connect_station(heap_pop());
    }
    double wake = heap_len ? heap[0].due : INFINITY;
    if (!reported && started + GIVE_UP_MS < wake) wake = started + GIVE_UP_MS;
    int timeout = isinf(wake) ? -1 : wake <= now ? 0 : (int)(wake - now) + 1; /* ms, rounded up */
    int n = epoll_wait(epfd, events, 1024, timeout);
    if (n < 0 && errno != EINTR) { perror("epoll_wait"); return 1; }
    for (int k = 0; k < n; k++) {
      if (events[k].data.u32 != STDIN_TAG) { on_event(events[k].data.u32, events[k].events); continue; }
      char buf[4096];
      ssize_t r = read(0, buf, sizeof buf);
      if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) quit();
    }
  }
}
