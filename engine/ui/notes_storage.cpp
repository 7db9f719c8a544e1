#include "ui/notes_storage.h"

#include <utility>

namespace attn::ui {

static NotesStorage g_storage;

void SetNotesStorage(NotesStorage storage) { g_storage = std::move(storage); }
const NotesStorage& GetNotesStorage() { return g_storage; }

}  // namespace attn::ui
