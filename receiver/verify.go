package receiver

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/lcngw/lcngw/signer"
)

// verify decodes and verifies body and builds the notification with its
// receipt. The outcome is filled in as far as the body was understood.
func (e *engine) verify(body []byte) (*Notification, Outcome, error) {
	var o Outcome
	if len(body) > e.cfg.MaxBodySize {
		return nil, o, fmt.Errorf("%w (limit %d bytes)", ErrBodyTooLarge, e.cfg.MaxBodySize)
	}
	sc := e.scratch.Get().(*scratch)
	fs, res, now, err := e.check(sc, body, &o)
	if err != nil {
		e.scratch.Put(sc)
		return nil, o, err
	}
	n := e.notification(fs, sc)
	n.Kind, n.Algorithm, n.Verified, n.ReceivedAt = o.Kind, res.Strongest, res.Present, now
	if e.cfg.Store != nil {
		n.key = DedupeKey(n.Kind, n.VendorCode, n.MessageID)
	}
	return n, o, nil
}

// check decodes body with sc's decoder, verifies it and appends its read
// receipt to sc.receipt. The fields alias sc.
func (e *engine) check(sc *scratch, body []byte, o *Outcome) (signer.Fields, signer.Result, time.Time, error) {
	var now time.Time
	decoded, err := sc.dec.Decode(body)
	if err != nil {
		return nil, signer.Result{}, now, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	fs := signer.Fields(decoded)
	o.Kind = signer.DetectKind(fs)
	vendor, _ := fs.Get("VENDOR_CODE")
	kr, ok := e.cfg.Keys(vendor)
	if !ok || kr.Len() == 0 {
		return nil, signer.Result{}, now, ErrUnknownVendor
	}
	k, s, res, err := verifyKeys(kr, fs, e.cfg.Policy)
	o.Algorithm, _ = res.Present.Strongest()
	if err != nil {
		return nil, res, now, fmt.Errorf("%w: %w", ErrSignature, err)
	}
	defer k.put(s)
	if o.Kind == signer.KindUnknown {
		return nil, res, now, ErrUnknownKind
	}
	now = e.cfg.Now()
	alg, _ := e.cfg.ReceiptFormat.Choose(res.Present)
	sc.receipt, err = s.AppendReceipt(sc.receipt[:0], o.Kind, fs, alg, e.dates.get(now))
	if err != nil {
		return nil, res, now, fmt.Errorf("%w: %w", ErrUnknownKind, err)
	}
	return fs, res, now, nil
}

// notification returns the notification of fs and sc.receipt. By default
// it owns a copy of both and sc goes back to its pool. With
// Config.ReuseNotifications it is recycled and copies nothing: it keeps sc,
// whose buffers its strings alias, until release.
func (e *engine) notification(fs signer.Fields, sc *scratch) *Notification {
	if !e.cfg.ReuseNotifications {
		n := new(Notification)
		n.set(fs, sc.receipt)
		e.scratch.Put(sc)
		return n
	}
	n := e.notifications.Get().(*Notification)
	*n = Notification{Fields: fs, receipt: unsafe.String(unsafe.SliceData(sc.receipt), len(sc.receipt)), sc: sc}
	n.identify()
	return n
}

// release recycles n and the scratch it aliases with
// Config.ReuseNotifications, once its request is answered.
func (e *engine) release(n *Notification) {
	if n == nil || !e.cfg.ReuseNotifications {
		return
	}
	sc := n.sc
	*n = Notification{}
	e.scratch.Put(sc)
	e.notifications.Put(n)
}

// verifyKeys tries each key of kr in turn while signatures mismatch (key
// rotation). On success it returns the key and its signer, still taken
// from the pool, for the receipt.
func verifyKeys(kr *Keyring, fs signer.Fields, p signer.Policy) (*key, *signer.Signer, signer.Result, error) {
	var (
		res signer.Result
		err error
	)
	for _, k := range kr.keys {
		s := k.get()
		res, err = s.Verify(fs, p)
		if err == nil {
			return k, s, res, nil
		}
		k.put(s)
		if !errors.Is(err, signer.ErrMismatch) {
			break // policy errors do not depend on the key
		}
	}
	return nil, nil, res, err
}

// dateCache keeps the receipt DATE of the current second, so formatting
// allocates once a second rather than once a request.
type dateCache struct {
	p atomic.Pointer[cachedDate]
}

type cachedDate struct {
	sec  int64
	loc  *time.Location
	date string
}

func (d *dateCache) get(t time.Time) string {
	if c := d.p.Load(); c != nil && c.sec == t.Unix() && c.loc == t.Location() {
		return c.date
	}
	c := &cachedDate{sec: t.Unix(), loc: t.Location(), date: signer.ReceiptDate(t)}
	d.p.Store(c)
	return c.date
}
