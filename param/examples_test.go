package param

import "testing"

func TestWithEventID(t *testing.T) {
	got, err := WithEventID([]byte(`{"event_id":"old","message_id":"7","amount":12.50,"n":{"x":1}}`), "new-1")
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"amount":12.50,"event_id":"new-1","n":{"x":1}}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
	got, err = WithIDs([]byte(`{"event_id":"old","vendor_code":"A","message_id":"7"}`), "new-2", "B")
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"event_id":"new-2","vendor_code":"B"}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, err := WithEventID([]byte(`[1]`), "x"); err == nil {
		t.Error("an array was taken for an event")
	}
	if _, err := WithEventID([]byte(`{"a":`), "x"); err == nil {
		t.Error("a truncated document was accepted")
	}
}
