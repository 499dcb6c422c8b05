package ipn

import (
	"encoding/json"
	"slices"
	"strconv"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Bucharest without relying on the host's zone database

	"github.com/lcngw/lcngw/internal/fixture"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

func build(t *testing.T, ev *Event, opts Options) signer.Fields {
	t.Helper()
	fs, err := Build(ev, opts)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func value(t *testing.T, fs signer.Fields, name string) string {
	t.Helper()
	i := fs.Index(name)
	if i < 0 || fs[i].Array || len(fs[i].Values) != 1 {
		t.Fatalf("%s is not a scalar field of the output", name)
	}
	return fs[i].Values[0]
}

func values(t *testing.T, fs signer.Fields, name string) []string {
	t.Helper()
	i := fs.Index(name)
	if i < 0 || !fs[i].Array {
		t.Fatalf("%s is not an array field of the output", name)
	}
	return fs[i].Values
}

// TestEventTypeTable pins the documented event type → ORDERSTATUS /
// MESSAGE_TYPE table.
func TestEventTypeTable(t *testing.T) {
	for _, tc := range []struct {
		eventType       EventType
		status, msgType string
	}{
		{"order.created", "PENDING", "PENDING"},
		{"order.under_review", "PENDING_APPROVAL", "PENDING"},
		{"order.authorized", "PAYMENT_AUTHORIZED", "AUTH"},
		{"order.payment_received", "PAYMENT_RECEIVED", "APPROVED"},
		{"order.completed", "COMPLETE", "COMPLETE"},
		{"order.refunded", "REFUND", "REFUND"},
		{"order.reversed", "REVERSED", "REVERSED"},
		{"order.canceled", "CANCELED", "CANCELED"},
	} {
		ev := event(t, "new-order")
		ev.EventType = tc.eventType
		fs := build(t, ev, Options{})
		if s, m := value(t, fs, "ORDERSTATUS"), value(t, fs, "MESSAGE_TYPE"); s != tc.status || m != tc.msgType {
			t.Errorf("%s: ORDERSTATUS %s MESSAGE_TYPE %s, want %s %s", tc.eventType, s, m, tc.status, tc.msgType)
		}
		out, ok := tc.eventType.Outcome()
		if !ok || out.Statuses[0] != tc.status || out.MessageType != tc.msgType {
			t.Errorf("%s: Outcome() = %+v, %v", tc.eventType, out, ok)
		}
		out.Statuses[0] = "CHANGED" // a copy: the table stays intact
	}
	for et, out := range eventTypes {
		if slices.Contains(out.Statuses, "CHANGED") {
			t.Errorf("%s: changing an Outcome() result changed the table", et)
		}
	}
	if got := EventTypeNames(); len(got) != 8 {
		t.Errorf("%d event types %v, the table pins 8", len(got), got)
	}
	if out, ok := EventType("order.exploded").Outcome(); ok || out.Statuses != nil {
		t.Errorf("unknown event type has outcome %+v", out)
	}
}

func TestExplicitStatusAndMessageType(t *testing.T) {
	for _, tc := range []struct {
		eventType       EventType
		status, msgType string
		ok              bool
	}{
		{"order.created", "PURCHASE_PENDING", "", true},
		{"order.created", "PENDING_APPROVAL", "", true},
		{"order.under_review", "SUSPECT", "", true},
		{"order.authorized", "AUTHRECEIVED", "", true},
		{"order.authorized", "PENDING_ORDER_APPROVAL", "", true},
		{"order.payment_received", "", "PROCESSING", true},
		{"order.canceled", "INVALID", "", true},
		{"order.completed", "REFUND", "", false},
		{"order.refunded", "COMPLETE", "", false},
		{"order.created", "SUSPECT", "", false},
	} {
		ev := event(t, "new-order")
		ev.EventType, ev.Order.Status, ev.Order.MessageType = tc.eventType, tc.status, tc.msgType
		fs, err := Build(ev, Options{})
		if (err == nil) != tc.ok {
			t.Errorf("%s with %q: err = %v, want ok=%v", tc.eventType, tc.status, err, tc.ok)
			continue
		}
		if tc.ok && tc.status != "" && value(t, fs, "ORDERSTATUS") != tc.status {
			t.Errorf("%s: ORDERSTATUS %s, want %s", tc.eventType, value(t, fs, "ORDERSTATUS"), tc.status)
		}
		if tc.ok && tc.msgType != "" && value(t, fs, "MESSAGE_TYPE") != tc.msgType {
			t.Errorf("%s: MESSAGE_TYPE %s, want %s", tc.eventType, value(t, fs, "MESSAGE_TYPE"), tc.msgType)
		}
	}
}

func TestDates(t *testing.T) {
	bucharest, err := time.LoadLocation("Europe/Bucharest")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		occurred   string
		loc        *time.Location
		date, zone string
		saleDate   string
	}{
		{"default zone", "2024-03-05T10:15:42Z", nil, "20240305121542", "GMT+02:00", "2024-03-05 12:12:03"},
		{"UTC", "2024-03-05T10:15:42Z", time.UTC, "20240305101542", "GMT+00:00", "2024-03-05 10:12:03"},
		{"west", "2024-03-05T10:15:42Z", time.FixedZone("", -(5*3600 + 30*60)), "20240305044542", "GMT-05:30", "2024-03-05 04:42:03"},
		{"summer time", "2024-07-01T21:00:00Z", bucharest, "20240702000000", "GMT+03:00", "2024-03-05 13:12:03"}, // at the notification's offset
		{"default zone in summer", "2024-07-01T21:00:00Z", nil, "20240702000000", "GMT+03:00", "2024-03-05 13:12:03"},
		{"winter time", "2024-12-31T22:00:00Z", bucharest, "20250101000000", "GMT+02:00", "2024-03-05 12:12:03"},
	} {
		ev := event(t, "new-order")
		ev.OccurredAt.Time, _ = time.Parse(time.RFC3339, tc.occurred)
		fs := build(t, ev, Options{Location: tc.loc})
		if got := value(t, fs, "IPN_DATE"); got != tc.date {
			t.Errorf("%s: IPN_DATE %s, want %s", tc.name, got, tc.date)
		}
		if got := value(t, fs, "TIMEZONE_OFFSET"); got != tc.zone {
			t.Errorf("%s: TIMEZONE_OFFSET %s, want %s", tc.name, got, tc.zone)
		}
		if got := value(t, fs, "SALEDATE"); got != tc.saleDate {
			t.Errorf("%s: SALEDATE %s, want %s", tc.name, got, tc.saleDate)
		}
	}
}

func TestDefaultsAndDerivations(t *testing.T) {
	ev := event(t, "new-order")
	ev.Order.PaidAt = param.Timestamp{}
	ev.Order.CompletedAt = param.Timestamp{}
	fs := build(t, ev, Options{})
	for name, want := range map[string]string{
		"PAYMENTDATE":           "0000-00-00 00:00:00",
		"COMPLETE_DATE":         "",
		"CHARGEBACK_RESOLUTION": "NONE",
		"COUNTRY_CODE":          "us",
		"COUNTRY_D_CODE":        "us",
		"GIFT_ORDER":            "0",
		"TEST_ORDER":            "0",
		"MESSAGE_ID":            strconv.FormatUint(param.MessageID("250111206876", "evt-0001-new-order"), 10),
		"IPN_TOTALGENERAL":      "49.00",
	} {
		if got := value(t, fs, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	for name, want := range map[string][]string{
		"ORIGINAL_REFNOEXT":    {""},
		"IPN_PGROUP":           {"0"},
		"IPN_LICENSE_PROD":     {"40898001"},
		"IPN_LICENSE_LIFETIME": {"NO"},
		"IPN_LICENSE_EXP":      {"2024-04-05 12:12:09"},
		"IPN_TOTAL":            {"49.00"},
	} {
		if got := values(t, fs, name); !slices.Equal(got, want) {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

func TestLicenses(t *testing.T) {
	ev := event(t, "full")
	ev.Items = append(ev.Items, Item{ID: "7", Quantity: 1, Price: "1.00"})
	ev.Order.Totals.Total = ""
	fs := build(t, ev, Options{})
	for name, want := range map[string][]string{
		"IPN_LICENSE_PROD":     {"35144095", "35144096", ""},
		"IPN_LICENSE_EXP":      {"2026-03-01 04:29:59", param.Lifetime, ""},
		"IPN_LICENSE_START":    {"2025-03-01 04:29:59", "2025-03-01 04:29:59", ""},
		"IPN_LICENSE_LIFETIME": {"NO", "YES", ""},
		"IPN_TOTAL":            {"288.00", "28.80", "1.00"},
	} {
		if got := values(t, fs, name); !slices.Equal(got, want) {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if got := value(t, fs, "IPN_TOTALGENERAL"); got != "329.80" {
		t.Errorf("IPN_TOTALGENERAL = %s, want 329.80", got)
	}
}

// TestBuildIsDeterministic checks retries are byte-identical: nothing in the
// output depends on the clock.
func TestBuildIsDeterministic(t *testing.T) {
	ev := event(t, "new-order")
	first := renderFields(build(t, ev, Options{}))
	time.Sleep(1100 * time.Millisecond) // across a second boundary
	if again := renderFields(build(t, ev, Options{})); string(again) != string(first) {
		t.Error("a second build of the same event differs")
	}
}

// TestNotYetDates: an unfinished order's completed_at written
// 0000-00-00 00:00:00 is sent as the platform sends it, and the schema
// accepts it.
func TestNotYetDates(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(mustExample(t, "new-order"), &doc); err != nil {
		t.Fatal(err)
	}
	mutate(t, doc, "order.completed_at", param.NotYet)
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := schemaAccepts(t, compileSchema(t), data); err != nil {
		t.Fatalf("schema rejects a not-yet date: %v", err)
	}
	ev, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if !ev.Order.CompletedAt.NotYet {
		t.Fatal("decoded completed_at is not marked not yet")
	}
	if got := value(t, build(t, ev, Options{}), "COMPLETE_DATE"); got != param.NotYet {
		t.Fatalf("COMPLETE_DATE %q, want %q", got, param.NotYet)
	}
}

// TestBuildInReusedRoom: every example built into one Storage, reset
// between builds, gives the fields a fresh build gives.
func TestBuildInReusedRoom(t *testing.T) {
	b := NewBuilder(Options{})
	fixture.SameInReusedRoom(t, ExampleNames(), func(name string, room *signer.Storage) (signer.Fields, error) {
		return b.BuildIn(room, event(t, name))
	})
}
