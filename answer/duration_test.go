package answer

import "testing"

func TestTimeSpan(t *testing.T) {
	t.Parallel()
	tests := []struct{ sentence, want string }{
		{"The raids, carried out between 1:05 am and 1:30 am, were named.", "25 minutes, from 1:05 am to 1:30 am"},
		{"Firing stopped from 15:35 to 17:00 on Saturday.", "1 hour 25 minutes, from 15:35 to 17:00"},
		{"The curfew ran from 10.00 pm to 6.00 am.", "8 hours, from 10:00 pm to 6:00 am"},
		{"Between 1:05 and 1:30 am the raids went on.", "25 minutes, from 1:05 am to 1:30 am"},
		{"The raids began at 1:05 am.", ""},
		{"The score went from 12:30 to nothing.", ""},
	}
	for _, tt := range tests {
		got, ok := timeSpan(tt.sentence)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%q: %q, %v; want %q", tt.sentence, got, ok, tt.want)
		}
	}
}

func TestDurationFor(t *testing.T) {
	t.Parallel()
	tests := []struct{ sentence, want string }{
		{"The mayor met the envoy, the marshal, and the chiefs of the navy for about 90 minutes.", "90 minutes"},
		{"Hotels in Delta, empty for more than two weeks, stayed shut.", "two weeks"},
		{"Two barges sank in three days.", ""},
	}
	for _, tt := range tests {
		got, ok := durationFor(splitWords(tt.sentence, 0, len(tt.sentence)))
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%q: %q, %v; want %q", tt.sentence, got, ok, tt.want)
		}
	}
}
