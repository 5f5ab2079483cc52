/* placeholder: being written */
#include "skc.h"
