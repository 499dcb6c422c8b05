package receiver_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

// exampleNotification returns an LCN signed as the platform would sign it
// for the merchant whose secret key is AABBCCDDEEFF.
func exampleNotification() []byte {
	var fs signer.Fields
	fs.Add("LICENSE_CODE", "3C343D0FAF")
	fs.Add("EXPIRATION_DATE", "2005-03-03")
	fs.Add("VENDOR_CODE", "250111206876")
	fs.Add("MESSAGE_ID", "1001")
	return signer.New([]byte("AABBCCDDEEFF")).AppendSignedForm(nil, fs, signer.AllAlgorithms)
}

// exampleClock pins the receipt DATE so the output is stable.
func exampleClock() time.Time { return time.Date(2008, 11, 17, 14, 59, 35, 0, time.UTC) }

// The net/http middleware verifies the notification, hands it to the
// application once, and answers the read receipt; the platform's retry is
// acknowledged without reaching the application again.
func ExampleMiddleware() {
	verify := receiver.Middleware(receiver.Config{
		Secrets: [][]byte{[]byte("AABBCCDDEEFF")},
		Now:     exampleClock,
	})
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := receiver.FromContext(r.Context())
		fmt.Println("handling", n.Kind, n.MessageID, "verified with", n.Algorithm)
	})
	h := verify(app)
	for range 2 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", "/lcn", bytes.NewReader(exampleNotification())))
		fmt.Println(rec.Code, rec.Body)
	}
	// Output:
	// handling lcn 1001 verified with sha3-256
	// 200 <sig algo="sha3-256" date="20081117145935">7fc19d21103ea56f1b413315fb3feb5fbdd137758623a73c7ed12d9bb84f21db</sig>
	// 200 <sig algo="sha3-256" date="20081117145935">7fc19d21103ea56f1b413315fb3feb5fbdd137758623a73c7ed12d9bb84f21db</sig>
}

// The Fiber middleware stores the notification for FromFiber; an
// application error means no receipt, so the platform retries.
func ExampleNew() {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Post("/lcn", receiver.New(receiver.Config{
		Secrets: [][]byte{[]byte("AABBCCDDEEFF")},
		Now:     exampleClock,
	}), func(c *fiber.Ctx) error {
		n := receiver.FromFiber(c)
		if n.Fields.Index("LICENSE_CODE") < 0 {
			return fiber.ErrUnprocessableEntity
		}
		return nil // the middleware answers the receipt
	})
	resp, err := app.Test(httptest.NewRequest("POST", "/lcn", bytes.NewReader(exampleNotification())))
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	fmt.Println(string(body))
	// Output:
	// 200 text/html; charset=utf-8
	// <sig algo="sha3-256" date="20081117145935">7fc19d21103ea56f1b413315fb3feb5fbdd137758623a73c7ed12d9bb84f21db</sig>
}
