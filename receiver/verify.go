package receiver

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/lcngw/lcngw/signer"
)

// verify decodes and verifies body and builds the owned notification with
// its receipt. The outcome is filled in as far as the body was understood.
func (e *engine) verify(body []byte) (*Notification, Outcome, error) {
	var o Outcome
	if len(body) > e.cfg.MaxBodySize {
		return nil, o, fmt.Errorf("%w (limit %d bytes)", ErrBodyTooLarge, e.cfg.MaxBodySize)
	}
	sc := e.scratch.Get().(*scratch)
	defer e.scratch.Put(sc)
	fs, err := sc.dec.Decode(body)
	if err != nil {
		return nil, o, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	o.Kind = signer.DetectKind(fs)
	vendor, _ := fs.Get("VENDOR_CODE")
	kr, ok := e.cfg.Keys(vendor)
	if !ok || kr.Len() == 0 {
		return nil, o, ErrUnknownVendor
	}
	k, s, res, err := verifyKeys(kr, fs, e.cfg.Policy)
	o.Algorithm, _ = res.Present.Strongest()
	if err != nil {
		return nil, o, fmt.Errorf("%w: %w", ErrSignature, err)
	}
	defer k.put(s)
	if o.Kind == signer.KindUnknown {
		return nil, o, ErrUnknownKind
	}
	now := e.cfg.Now()
	alg, _ := e.cfg.ReceiptFormat.Choose(res.Present)
	sc.receipt, err = s.AppendReceipt(sc.receipt[:0], o.Kind, fs, alg, e.dates.get(now))
	if err != nil {
		return nil, o, fmt.Errorf("%w: %w", ErrUnknownKind, err)
	}
	n := e.notification()
	n.set(fs, sc.receipt, e.cfg.ReuseNotifications)
	n.Kind, n.Algorithm, n.Verified, n.ReceivedAt = o.Kind, res.Strongest, res.Present, now
	if e.cfg.Store != nil {
		n.key = DedupeKey(n.Kind, n.VendorCode, n.MessageID)
	}
	return n, o, nil
}

// notification returns an empty notification: recycled with
// Config.ReuseNotifications, else new.
func (e *engine) notification() *Notification {
	if !e.cfg.ReuseNotifications {
		return new(Notification)
	}
	n := e.notifications.Get().(*Notification)
	*n = Notification{buf: n.buf, fields: n.fields, vals: n.vals}
	return n
}

// release recycles n with Config.ReuseNotifications, once its request is
// answered.
func (e *engine) release(n *Notification) {
	if n != nil && e.cfg.ReuseNotifications {
		e.notifications.Put(n)
	}
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
