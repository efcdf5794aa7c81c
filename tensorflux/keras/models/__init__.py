"""`tf.keras.models`: model classes, saving and loading."""

from tensorflux._src.keras.models.model import Model as Model
from tensorflux._src.keras.models.sequential import Sequential as Sequential
from tensorflux._src.keras.models.cloning import clone_model as clone_model
from tensorflux._src.keras.saving.saving_api import load_model as load_model
from tensorflux._src.keras.saving.saving_api import model_from_json as model_from_json
from tensorflux._src.keras.saving.saving_api import save_model as save_model
