package signer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/internal/fixture"
	"github.com/lcngw/lcngw/signer"
)

// Key of every vector in the protocol notes (§8).
const docKey = fixture.DocKey

type sigVector struct {
	name                 string
	key                  string
	fields               signer.Fields
	message              string
	md5, sha256, sha3256 string
}

func ipnReceiptFields(pid, pname, ipnDate string) signer.Fields {
	var fs signer.Fields
	fs.AddArray("IPN_PID", pid)
	fs.AddArray("IPN_PNAME", pname)
	fs.Add("IPN_DATE", ipnDate)
	return fs
}

func lcnReceiptFields(code, exp string) signer.Fields {
	var fs signer.Fields
	fs.Add("LICENSE_CODE", code)
	fs.Add("EXPIRATION_DATE", exp)
	return fs
}

func d4Fields() signer.Fields { return fixture.D4() }

const d5Body = fixture.D5Body

func mustParse(t *testing.T, body string) signer.Fields {
	t.Helper()
	fs, err := signer.ParseForm([]byte(body))
	if err != nil {
		t.Fatalf("ParseForm: %v", err)
	}
	return fs
}

// TestNotificationVectors checks the full-notification signature vectors
// (§8.2): message bytes and all three HMACs.
func TestNotificationVectors(t *testing.T) {
	var v8 signer.Fields
	v8.Add("prop1", "value1")
	v8.AddArray("prop2", "value2")
	v8.Add("prop3", "value3")
	v8.AddArray("prop4", "value4")
	vectors := []sigVector{
		{name: "V8 node SDK", key: "#test_Secret-keY", fields: v8,
			message: "6value16value26value36value4", md5: "f0e3cdda89e0886b412f90dcfac51a0f"},
		{name: "D4 UTF-8 byte lengths", key: docKey, fields: d4Fields(),
			message: "7Jürgen7Müller014jm@example.com103C343D0FAF102025-03-0314LICENCE_CHANGE",
			md5:     "aa7d1ae1aeb9cbc1755a84b69b6b2704",
			sha256:  "2222fa907eb2cccaac9b28c4d2ad689b049848591c7573ceb8d453333b8be9d1",
			sha3256: "f0b30eb2898db3fbfff8061bad4400a4aa423300c8f0450cb3c8340411602365"},
		{name: "D5 multi-product IPN", key: docKey, fields: mustParse(t, d5Body),
			message: "91234567898COMPLETE310132026Plan A6Plan B1110009GMT+03:001420240101120000",
			md5:     "b4396413e206955b65547d0239838e29",
			sha256:  "5ab256864ae302db468a193d43b07bd0727ecde35bc73859a90c92f3a556ae26",
			sha3256: "12def03aced910880928e2bbd9fc8ba25f07fa3054abfe7759e7200363e00b98"},
	}
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			if got := string(signer.AppendMessage(nil, v.fields)); got != v.message {
				t.Fatalf("message\n got %q\nwant %q", got, v.message)
			}
			s := signer.New([]byte(v.key))
			sigs := s.Sign(v.fields, signer.AllAlgorithms)
			for alg, want := range map[signer.Algorithm]string{signer.MD5: v.md5, signer.SHA256: v.sha256, signer.SHA3256: v.sha3256} {
				if want == "" {
					continue
				}
				if got := sigs.Hex(alg); got != want {
					t.Errorf("%s = %s, want %s", alg, got, want)
				}
			}
			signed := s.SignFields(v.fields, signer.AllAlgorithms)
			if _, err := s.Verify(signed, signer.Policy{}); err != nil {
				t.Errorf("Verify(own signature): %v", err)
			}
		})
	}
}

// TestD6Message checks the HMACs of the old Knowledge-Center source string.
func TestD6Message(t *testing.T) {
	msg := "192016-06-01 12:22:097100003702138COMPLETE13Wire transfer4John5Smith9BV-66778800000015101 Main Street08New York8New York650036524United States of America12951-121-2121019johnsmith@email.com4John5Smith015101 Main Street08New York8New York650036524United States of America12951-121-212114213.233.121.503USD1116Software program5PM_11011529.0040.00040.0000529.00534.0045.0043.381420050303123434"
	sigs := signer.New([]byte(docKey)).SignMessage([]byte(msg), signer.AllAlgorithms)
	want := map[signer.Algorithm]string{
		signer.MD5:     "b6077d5d2b5aef43ad6a448a737e1277",
		signer.SHA256:  "446e9136d319caf9e9efc1f1aa3dd69e15b9670bef391b901eea2c905e1cb3fb",
		signer.SHA3256: "51cbe7f593a248a9dece415d5f2ccb81da2777327aa5138f54d4fd1a6867e75c",
	}
	for alg, w := range want {
		if got := sigs.Hex(alg); got != w {
			t.Errorf("%s = %s, want %s", alg, got, w)
		}
	}
}

// TestD4CharacterLengthsRejected: signatures computed with character
// lengths (as some SDKs do) must not validate.
func TestD4CharacterLengthsRejected(t *testing.T) {
	wrong := map[string]string{
		signer.FieldHash: "bc04ca76a75287a1d8037595e374d643",
		signer.FieldSHA2: "b5a92dfb1fec739616a6e12a095959d2ee38ce18b186803191c4268cda524059",
		signer.FieldSHA3: "4b1cbaa6e43e1fdceeb92ef3a4e86355d22b2084b45eb32582a37ad83c804db9",
	}
	s := signer.New([]byte(docKey))
	for field, sig := range wrong {
		fs := d4Fields()
		fs.Add(field, sig)
		if _, err := s.Verify(fs, signer.Policy{AllowMD5Only: true}); err == nil {
			t.Errorf("%s with character-length signature verified", field)
		}
	}
}

type receiptVector struct {
	name    string
	kind    signer.Kind
	fields  signer.Fields
	date    string
	message string
	want    map[signer.Algorithm]string // algorithm → full receipt
}

func receiptVectors() []receiptVector {
	return []receiptVector{
		{name: "V1+D1 IPN doc example", kind: signer.KindIPN,
			fields:  ipnReceiptFields("1", "Software program", "20050303123434"),
			date:    "20050303123434",
			message: "1116Software program14200503031234341420050303123434",
			want: map[signer.Algorithm]string{
				signer.MD5:     "<EPAYMENT>20050303123434|7bf97ed39681027d0c45aa45e3ea98f0</EPAYMENT>",
				signer.SHA256:  `<sig algo="sha256" date="20050303123434">ea6f44c39b3d204b59500998fcb9221c92744d9721a94b45fc6d5cda99980176</sig>`,
				signer.SHA3256: `<sig algo="sha3-256" date="20050303123434">85180497aaaa4844a278b52b1ce257d2820dbf5857470a5f678fef2266d0d4a8</sig>`,
			}},
		{name: "V5+D2 LCN doc example", kind: signer.KindLCN,
			fields:  lcnReceiptFields("3C343D0FAF", "2005-03-03"),
			date:    "20081117145935",
			message: "103C343D0FAF102005-03-031420081117145935",
			want: map[signer.Algorithm]string{
				signer.MD5:     "<EPAYMENT>20081117145935|cb34fe2991668eb82364edf62f845a34</EPAYMENT>",
				signer.SHA256:  `<sig algo="sha256" date="20081117145935">cdd64ce75e6cf013a60291229c83063a5d903eae3bfa216e99aae8af65a055e8</sig>`,
				signer.SHA3256: `<sig algo="sha3-256" date="20081117145935">7fc19d21103ea56f1b413315fb3feb5fbdd137758623a73c7ed12d9bb84f21db</sig>`,
			}},
		{name: "D3 LCN YmdGis date", kind: signer.KindLCN,
			fields:  lcnReceiptFields("3C343D0FAF", "2005-03-03"),
			date:    "2008111795935",
			message: "103C343D0FAF102005-03-03132008111795935",
			want: map[signer.Algorithm]string{
				signer.MD5:     "<EPAYMENT>2008111795935|2e12acee3d385636616969bb5ec7b005</EPAYMENT>",
				signer.SHA256:  `<sig algo="sha256" date="2008111795935">3efebb222f8ba60888e1c6ae72d36c7c3a9a37d7dd569f490a7497658034be9f</sig>`,
				signer.SHA3256: `<sig algo="sha3-256" date="2008111795935">ac2b036495624594c8095c00705903d383c26b81fde80b44a42b52be374055ae</sig>`,
			}},
		{name: "D5 receipt, product [0] only", kind: signer.KindIPN,
			fields:  d5FieldsForReceipt(),
			date:    "20240101120005",
			message: "31016Plan A14202401011200001420240101120005",
			want: map[signer.Algorithm]string{
				signer.MD5:     "<EPAYMENT>20240101120005|c8157931665a2fdf8e3bc8693c95573b</EPAYMENT>",
				signer.SHA256:  `<sig algo="sha256" date="20240101120005">5ea578fa52c2a162f241504783a5ab38ca50cd03393242d7faa137d23a24fc90</sig>`,
				signer.SHA3256: `<sig algo="sha3-256" date="20240101120005">13b357baf57bde2e49de2f366d1c478bceece0d88146ab1dffff540a4e020bc2</sig>`,
			}},
	}
}

func d5FieldsForReceipt() signer.Fields {
	fs, err := signer.ParseForm([]byte(d5Body))
	if err != nil {
		panic(err)
	}
	return fs
}

// TestReceiptVectors builds every receipt of §8.1 and checks that the
// receipt checker accepts each one, alone and wrapped in HTML.
func TestReceiptVectors(t *testing.T) {
	for _, v := range receiptVectors() {
		t.Run(v.name, func(t *testing.T) {
			msg, err := signer.AppendReceiptMessage(nil, v.kind, v.fields, v.date)
			if err != nil || string(msg) != v.message {
				t.Fatalf("receipt message = %q, %v; want %q", msg, err, v.message)
			}
			s := signer.New([]byte(docKey))
			for alg, want := range v.want {
				got, err := s.AppendReceipt(nil, v.kind, v.fields, alg, v.date)
				if err != nil || string(got) != want {
					t.Errorf("%s receipt = %s, %v; want %s", alg, got, err, want)
				}
				body := "<html><body>\n  OK " + strings.ToUpper(want[:1]) + want[1:] + "\n</body></html>"
				r, err := s.CheckReceipt([]byte(body), v.kind, v.fields, signer.SetOf(alg))
				if err != nil || r.Algorithm != alg || r.Date != v.date {
					t.Errorf("CheckReceipt(%s) = %+v, %v", alg, r, err)
				}
			}
		})
	}
}

func TestAppendValueLengths(t *testing.T) {
	for _, n := range []int{0, 1, 9, 10, 99, 100, 999, 1000, 12345} {
		v := strings.Repeat("x", n)
		want := fmt.Sprint(n) + v
		if got := string(signer.AppendValue(nil, v)); got != want {
			t.Errorf("AppendValue(len %d) prefix = %q", n, got[:len(got)-n])
		}
	}
}
