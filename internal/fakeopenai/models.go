package fakeopenai

import "net/http"

type (
	modelList struct {
		Object string  `json:"object"`
		Data   []model `json:"data"`
	}
	model struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Created int64  `json:"created"`
		OwnedBy string `json:"owned_by"`
	}
)

// modelsCreated is the creation time the fake gives every model.
const modelsCreated = 1686935002

// models answers GET /v1/models with Config.Models.
func (s *Server) models(w http.ResponseWriter) {
	list := modelList{Object: "list", Data: []model{}}
	for _, id := range s.cfg.Models {
		list.Data = append(list.Data, model{ID: id, Object: "model", Created: modelsCreated, OwnedBy: "openai"})
	}
	writeJSON(w, http.StatusOK, list)
}
