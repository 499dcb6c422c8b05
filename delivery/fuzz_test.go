package delivery

import (
	"bytes"
	"net/http"
	"net/netip"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// FuzzRefused checks that the IPv6 forms carrying an IPv4 address
// (mapped, NAT64, 6to4) are judged exactly like that address.
func FuzzRefused(f *testing.F) {
	for _, s := range [][4]byte{{127, 0, 0, 1}, {8, 8, 8, 8}, {169, 254, 169, 254}, {100, 64, 0, 1}, {255, 255, 255, 255}} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, a, b, c, d byte) {
		v4 := netip.AddrFrom4([4]byte{a, b, c, d})
		name, refused := Refused(v4)
		var mapped, nat, six [16]byte
		mapped[10], mapped[11] = 0xff, 0xff
		copy(mapped[12:], []byte{a, b, c, d})
		nat[0], nat[1], nat[2], nat[3] = 0x00, 0x64, 0xff, 0x9b
		copy(nat[12:], []byte{a, b, c, d})
		six[0], six[1] = 0x20, 0x02
		copy(six[2:6], []byte{a, b, c, d})
		six[15] = 1
		for form, raw := range map[string][16]byte{"ipv4-mapped": mapped, "nat64": nat, "6to4": six} {
			gotName, gotRefused := Refused(netip.AddrFrom16(raw))
			if gotRefused != refused || (refused && gotName != form+" "+name) {
				t.Fatalf("%s of %s: %q %v; the IPv4 address: %q %v", form, v4, gotName, gotRefused, name, refused)
			}
		}
	})
}

// FuzzAnswer: whatever an endpoint answers, the attempt ends with one
// request on the wire (never sent again), a status that is 0 or the one
// answered, and delivers only when a valid receipt came back.
func FuzzAnswer(f *testing.F) {
	for _, s := range []string{
		ok,
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked("ab", lcnReceiptMD5),
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 503 x\r\nRetry-After: 5\r\n\r\nbody",
		"HTTP/1.1 101 Switching Protocols\r\n\r\n" + ok,
		"HTTP/1.1 200 OK\r\nContent-Length: +68\r\n\r\n" + lcnReceiptMD5,
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
		"",
	} {
		f.Add([]byte(s))
	}
	var current atomic.Value
	srv := newRawServer(f, func(int, *http.Request) (string, bool) { return current.Load().(string), true })
	c := NewClient(loopbackConfig())
	f.Fuzz(func(t *testing.T, raw []byte) {
		current.Store(string(raw))
		before := srv.posts()
		ep := testEndpoint(srv.url())
		ep.Timeout = 2 * time.Second // an answer that never ends times out
		o := send(t, c, lcnRequest(ep))
		c.CloseIdleConnections() // the server hangs up after each answer
		if n := srv.posts() - before; n != 1 || o.Attempts != 1 {
			t.Fatalf("%d requests read, %d attempts reported; outcome %+v", n, o.Attempts, o)
		}
		if o.Status != 0 && !bytes.Contains(raw, []byte(strconv.Itoa(o.Status))) {
			t.Fatalf("status %d not in the answer", o.Status)
		}
		if o.Result == Delivered && !bytes.Contains(raw, []byte("cb34fe2991668eb82364edf62f845a34")) {
			t.Fatalf("delivered without the receipt: %+v", o)
		}
	})
}
