#include "test-common.h"
int main (void) { CHECK (0, "not written yet"); return test_finish (); }
