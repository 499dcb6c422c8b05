package registry

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lcngw/lcngw/config"
)

// recordVersion is the version of the record format this package writes.
const recordVersion = 1

// record is the value of a registry record: the merchant document without
// its secret, the secret sealed, and the registry's own state. The key of
// the record is the vendor code; an empty value (a tombstone) deletes.
type record struct {
	Version  int             `json:"v"`
	Revision uint64          `json:"revision"`
	Updated  time.Time       `json:"updated"`
	Merchant json.RawMessage `json:"merchant"`
	Secret   Sealed          `json:"secret"`
	Paused   []string        `json:"paused,omitempty"`
}

// encodeEntry seals e's secret and renders its record.
func encodeEntry(keys *Keyring, e *Entry) ([]byte, error) {
	doc, err := config.MarshalDocument(&e.Merchant)
	if err != nil {
		return nil, err
	}
	rec := record{
		Version: recordVersion, Revision: e.Revision, Updated: e.Updated.UTC(),
		Merchant: doc, Secret: keys.Seal(e.VendorCode(), e.Merchant.Key()), Paused: e.Paused,
	}
	return json.Marshal(rec)
}

// decodeEntry opens the record of vendor.
func decodeEntry(keys *Keyring, vendor string, value []byte) (*Entry, error) {
	var rec record
	if err := json.Unmarshal(value, &rec); err != nil {
		return nil, fmt.Errorf("record of %s: %w", vendor, err)
	}
	if rec.Version != recordVersion {
		return nil, fmt.Errorf("record of %s: version %d, want %d", vendor, rec.Version, recordVersion)
	}
	m, err := config.DecodeMerchantJSON(rec.Merchant)
	if err != nil {
		return nil, fmt.Errorf("record of %s: %w", vendor, err)
	}
	if m.VendorCode != vendor {
		return nil, errors.New("record of " + vendor + ": the document names another vendor code")
	}
	secret, err := keys.Open(vendor, rec.Secret)
	if err != nil {
		return nil, err
	}
	paused := slices.Clone(rec.Paused)
	slices.Sort(paused)
	return &Entry{
		Merchant: m.WithSecret(secret), Paused: slices.Compact(paused),
		Revision: rec.Revision, Updated: rec.Updated, KeyID: rec.Secret.KeyID,
	}, nil
}
