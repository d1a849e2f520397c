package secrets

import "testing"

func TestNotACredential(t *testing.T) {
	const unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ0ZXN0SWQifQ."
	const signed = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	for _, tc := range []struct {
		secret, path string
		want         bool
	}{
		{unsigned, "config/providers.json", true},
		{"workos:" + unsigned, "src/tests/configs/providers.json", true},
		{signed, "config/app.json", false},
		{"sk-test-key-0123456789abcdef", "tests/test_client.py", true},
		{"dummy-token-abcdef0123456789", "internal/api/client_test.go", true},
		{"xxxxxxxxxxxxxxxxxxxx", "spec/fixtures/keys.yml", true},
		{"sk-secret-api-key-12345", "tests/ci/security/test_sensitive_data.py", true},
		{"sk-test-key-0123456789abcdef", "internal/api/client.go", false},
		{"ghp_R4nd0mL00k1ngT0k3nV4lu3Abcdef123456", "tests/test_client.py", false},
	} {
		if got := notACredential(tc.secret, tc.path); got != tc.want {
			t.Errorf("notACredential(%q, %q) = %v, want %v", tc.secret, tc.path, got, tc.want)
		}
	}
}
